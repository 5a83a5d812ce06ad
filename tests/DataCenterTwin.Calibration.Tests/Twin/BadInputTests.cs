using DataCenterTwin.Calibration.Priors;
using DataCenterTwin.Calibration.Twin;

namespace DataCenterTwin.Calibration.Tests.Twin;

/// <summary>Bad calibration files and telemetry give an error with the place, or a documented treatment (gaps skipped and counted).</summary>
public class BadInputTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dctwin-calbad-" + Guid.NewGuid().ToString("N"));

    public BadInputTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string WriteCsv(params string[] rows)
    {
        string path = Path.Combine(_folder, "telemetry.csv");
        File.WriteAllLines(path, ["time,facility_kw", .. rows]);
        return path;
    }

    private string Calibration(string body)
    {
        string path = Path.Combine(_folder, "calibration.yaml");
        File.WriteAllText(path, body);
        return path;
    }

    private const string Valid = """
        parameters:
          - name: other_fraction
            path: site.power.other_fraction_of_it
            prior: { distribution: normal, mean: 0.05, sd: 0.01 }
        observations:
          - file: telemetry.csv
            column: total_power_w
            source_column: facility_kw
            unit: kW
            noise: { model: gaussian, scale: 2 kW }
        """;

    private static ObservationSpec Csv(string file, string unit = "kW", string column = "facility_kw") =>
        new("total", file, TwinDataset.Facility, "total_power_w", column, unit, "time", null, null, new NoiseSpec(NoiseKind.Gaussian, 2000, null, double.PositiveInfinity));

    [Fact]
    public void ValidFile_Reads_WithItsColumnMapAndUnit()
    {
        WriteCsv("2026-07-15T05:00:00Z,100");
        var (spec, errors) = CalibrationSpec.Load(Calibration(Valid));
        Assert.Empty(errors);
        Assert.Equal("site.power.other_fraction_of_it", spec!.Parameters[0].Path);
        Assert.Equal(2000, spec.Observations[0].Noise.ScaleSi);
        Assert.Equal("facility_kw", spec.Observations[0].SourceColumn);
    }

    [Fact]
    public void NegativePriorScale_IsAnErrorAtItsPlace()
    {
        WriteCsv("2026-07-15T05:00:00Z,100");
        var (spec, errors) = CalibrationSpec.Load(Calibration(Valid.Replace("sd: 0.01", "sd: -0.01", StringComparison.Ordinal)));
        Assert.Null(spec);
        var e = Assert.Single(errors);
        Assert.Equal("parameters[0].prior.sd", e.Path);
        Assert.Equal(4, e.Source.Line);
        Assert.Contains("must be positive, got -0.01", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnTheTwinDoesNotHave_IsAnErrorListingTheKnownOnes()
    {
        WriteCsv("2026-07-15T05:00:00Z,100");
        var (_, errors) = CalibrationSpec.Load(Calibration(Valid.Replace("column: total_power_w", "column: total_power_kw", StringComparison.Ordinal)));
        var e = Assert.Single(errors);
        Assert.Equal("observations[0].column", e.Path);
        Assert.Contains("no column \"total_power_kw\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("total_power_w", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKey_IsAnErrorWithAHint()
    {
        WriteCsv("2026-07-15T05:00:00Z,100");
        var (_, errors) = CalibrationSpec.Load(Calibration(Valid.Replace("unit: kW", "units: kW", StringComparison.Ordinal)));
        Assert.Contains(errors, e => e.Path == "observations[0].units" && e.Message.Contains("did you mean \"unit\"", StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicatedTimestamp_IsAnErrorNamingTheRow()
    {
        string f = WriteCsv("2026-07-15T05:00:00Z,100", "2026-07-15T05:15:00Z,101", "2026-07-15T05:15:00Z,102");
        var ex = Assert.Throws<TelemetryException>(() => Telemetry.Read([Csv(f)]));
        Assert.Contains("row 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("duplicated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfOrderTimestamp_IsAnErrorNamingTheRow()
    {
        string f = WriteCsv("2026-07-15T05:00:00Z,100", "2026-07-15T05:30:00Z,101", "2026-07-15T05:15:00Z,102");
        var ex = Assert.Throws<TelemetryException>(() => Telemetry.Read([Csv(f)]));
        Assert.Contains("row 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("before the row above", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gaps_AreSkippedAndCounted_ValuesConvertedToTheTwinsUnit()
    {
        string f = WriteCsv("2026-07-15T05:00:00Z,100", "2026-07-15T05:15:00Z,", "2026-07-15T05:30:00Z,102", "2026-07-15T06:15:00Z,103");
        var s = Assert.Single(Telemetry.Read([Csv(f)]));
        Assert.Equal([100_000, 102_000, 103_000], s.Values);
        Assert.Equal(1, s.MissingValues);
        Assert.Equal(2, s.Gaps);                   // 05:45 and 06:00 have no row
        Assert.Equal(900, Telemetry.IntervalS([s]));
    }

    [Fact]
    public void UnitOfAnotherKind_IsAMismatch()
    {
        string f = WriteCsv("2026-07-15T05:00:00Z,100", "2026-07-15T05:15:00Z,101");
        var ex = Assert.Throws<TelemetryException>(() => Telemetry.Read([Csv(f, unit: "kWh")]));
        Assert.Contains("unit mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a power in W", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnTheFileDoesNotHave_IsAnErrorListingItsColumns()
    {
        string f = WriteCsv("2026-07-15T05:00:00Z,100", "2026-07-15T05:15:00Z,101");
        var ex = Assert.Throws<TelemetryException>(() => Telemetry.Read([Csv(f, column: "facility_mw")]));
        Assert.Contains("no column \"facility_mw\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("time, facility_kw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterPathTheScenarioLacks_IsReportedWithThePath()
    {
        string scenario = SmallHall.Write(_folder);
        string f = WriteCsv("2026-07-15T05:00:00Z,100", "2026-07-15T05:15:00Z,101");
        var bad = new ParameterSpec("approach", "cooling.towr.approach", "K", new NormalPrior(4, 1));
        var model = new TwinForwardModel(scenario, SmallHall.Assets, [bad], Telemetry.Read([Csv(f)]));
        var problem = Assert.Single(new TwinCalibration(model, [bad]).Check());
        Assert.Contains("parameter approach: path \"cooling.towr.approach\"", problem, StringComparison.Ordinal);
        Assert.Contains("unknown key \"towr\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryOffTheScenariosGrid_IsAnError()
    {
        string scenario = SmallHall.Write(_folder);
        string f = WriteCsv("2026-07-15T05:07:00Z,100", "2026-07-15T05:22:00Z,101");
        var ex = Assert.Throws<TelemetryException>(() => new TwinForwardModel(scenario, SmallHall.Assets, [SmallHall.OtherFraction()], Telemetry.Read([Csv(f)])));
        Assert.Contains("not on the scenario's output grid", ex.Message, StringComparison.Ordinal);
    }
}
