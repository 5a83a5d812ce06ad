using DataCenterTwin.Traces.Datasets;
using DataCenterTwin.Traces.Parquet;

namespace DataCenterTwin.IntegrationTests.Traces;

/// <summary>Reads every dataset of a real run back with DuckDB and checks it against the run's summary.</summary>
public sealed class RunTraceReadbackTests(QuickRuns runs) : IClassFixture<QuickRuns>
{
    public static TheoryData<string> Datasets => new() { "facility", "racks", "plant", "events" };

    private static string File(string folder, string dataset) => Path.Combine(folder, dataset, dataset + ".parquet");

    private static string DuckType(ColumnType type) => type switch
    {
        ColumnType.Timestamp => "TIMESTAMP WITH TIME ZONE",
        ColumnType.Double => "DOUBLE",
        ColumnType.Int64 => "BIGINT",
        ColumnType.Int32 => "INTEGER",
        ColumnType.Boolean => "BOOLEAN",
        _ => "VARCHAR",
    };

    private static void AssertTypes(string file, TraceColumn[] columns)
    {
        var types = DuckDb.Types(file);
        Assert.Equal(columns.Select(c => c.Name), types.Keys);
        Assert.All(columns, c => Assert.Equal(DuckType(c.Type), types[c.Name]));
    }

    [Fact]
    public void Fluid_FacilityAndRackRowCounts_FollowTheHorizonAndInterval()
    {
        double rows = QuickRuns.FluidHorizonS / QuickRuns.OutputIntervalS;
        Assert.Equal(rows, DuckDb.Scalar($"SELECT count(*) FROM '{File(runs.FluidFolder, "facility")}'"));
        Assert.Equal(rows * QuickRuns.Racks, DuckDb.Scalar($"SELECT count(*) FROM '{File(runs.FluidFolder, "racks")}'"));
        Assert.Equal(QuickRuns.Racks, DuckDb.Scalar($"SELECT count(DISTINCT rack) FROM '{File(runs.FluidFolder, "racks")}'"));
        double plant = DuckDb.Scalar($"SELECT count(*) FROM '{File(runs.FluidFolder, "plant")}'");
        Assert.True(plant > 0 && plant % rows == 0, $"{plant} plant rows is not a whole number of units × {rows} intervals");
        Assert.False(Directory.Exists(Path.Combine(runs.FluidFolder, "requests")), "fluid runs have no per-request rows");
    }

    [Fact]
    public void Fluid_ColumnTypes_AreTheDeclaredOnes()
    {
        AssertTypes(File(runs.FluidFolder, "facility"), FacilityDataset.Columns);
        AssertTypes(File(runs.FluidFolder, "racks"), RackDataset.Columns);
        AssertTypes(File(runs.FluidFolder, "plant"), PlantDataset.Columns);
        AssertTypes(File(runs.FluidFolder, "events"), EventDataset.Columns);
    }

    [Fact]
    public void Request_ColumnTypes_AreTheDeclaredOnes() => AssertTypes(File(runs.RequestFolder, "requests"), RequestDataset.Columns);

    [Theory]
    [MemberData(nameof(Datasets))]
    public void FileMetadata_CarriesScenarioHashSeedAndVersion(string dataset)
    {
        var meta = DuckDb.KeyValueMetadata(File(runs.FluidFolder, dataset));
        Assert.Equal((string)runs.FluidSummary["scenario_hash"]!, meta["scenario_hash"]);
        Assert.Equal("42", meta["seed"]);
        Assert.Equal((string)runs.FluidSummary["version"]!, meta["dctwin_version"]);
        Assert.Equal(dataset, meta["dataset"]);
    }

    [Fact]
    public void Facility_IntegratedPower_EqualsTheSummaryEnergy()
    {
        foreach (var (folder, summary) in new[] { (runs.FluidFolder, runs.FluidSummary), (runs.RequestFolder, runs.RequestSummary) })
        {
            string f = File(folder, "facility");
            double total = DuckDb.Scalar($"SELECT sum(total_power_w * interval_s) / 3.6e6 FROM '{f}'");
            double it = DuckDb.Scalar($"SELECT sum(it_power_w * interval_s) / 3.6e6 FROM '{f}'");
            double cooling = DuckDb.Scalar($"SELECT sum(cooling_electric_power_w * interval_s) / 3.6e6 FROM '{f}'");

            // The issue's bound: the trace is energy-exact to 0.1 %.
            Assert.Equal((double)summary["energy_total_kwh"]!, total, (double)summary["energy_total_kwh"]! * 1e-3);
            Assert.Equal((double)summary["energy_it_kwh"]!, it, (double)summary["energy_it_kwh"]! * 1e-3);
            Assert.Equal((double)summary["energy_cooling_kwh"]!, cooling, (double)summary["energy_cooling_kwh"]! * 1e-3);
        }
    }

    [Fact]
    public void Facility_TimesStartAtTheSiteStartInUtc_AndStepByTheInterval()
    {
        string f = File(runs.FluidFolder, "facility");

        // quick.yaml starts 2026-07-15 local time at UTC-5: 05:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 15, 5, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), DuckDb.Scalar($"SELECT epoch(min(time)) FROM '{f}'"));
        Assert.Equal(QuickRuns.FluidHorizonS - QuickRuns.OutputIntervalS, DuckDb.Scalar($"SELECT epoch(max(time)) - epoch(min(time)) FROM '{f}'"));
        Assert.Equal(QuickRuns.OutputIntervalS, DuckDb.Scalar($"SELECT min(interval_s) FROM '{f}'"));
        Assert.Equal(QuickRuns.OutputIntervalS, DuckDb.Scalar($"SELECT max(interval_s) FROM '{f}'"));
    }

    [Fact]
    public void Facility_PeakAndPue_AgreeWithTheSummary()
    {
        string f = File(runs.FluidFolder, "facility");

        // Interval means cannot exceed the one-step peak the summary tracks; the billed 15-minute
        // demand lies between the mean and that peak.
        double stepPeakKw = (double)runs.FluidSummary["peak_grid_step_kw"]!;
        Assert.True(DuckDb.Scalar($"SELECT max(grid_power_w) / 1e3 FROM '{f}'") <= stepPeakKw * (1 + 1e-9));
        Assert.True((double)runs.FluidSummary["peak_grid_kw"]! <= stepPeakKw * (1 + 1e-9));
        Assert.True((double)runs.FluidSummary["peak_grid_kw"]! >= DuckDb.Scalar($"SELECT sum(grid_power_w * interval_s) / sum(interval_s) / 1e3 FROM '{f}'"));
        double pue = DuckDb.Scalar($"SELECT sum(total_power_w * interval_s) / sum(it_power_w * interval_s) FROM '{f}'");
        Assert.Equal((double)runs.FluidSummary["pue"]!, pue, 1e-3);
        Assert.Equal((double)runs.FluidSummary["grid_cap_kw"]! * 1e3, DuckDb.Scalar($"SELECT max(grid_cap_w) FROM '{f}'"));
    }

    [Fact]
    public void Requests_RowCountAndOutcomes_MatchTheSummary()
    {
        string f = File(runs.RequestFolder, "requests");
        double completed = (double)runs.RequestSummary["requests_completed"]!;
        double rejected = (double)runs.RequestSummary["requests_rejected"]!;
        Assert.True(completed > 1_000, "the run served too few requests to check anything");
        Assert.Equal(completed + rejected, DuckDb.Scalar($"SELECT count(*) FROM '{f}'"));
        Assert.Equal(rejected, DuckDb.Scalar($"SELECT count(*) FILTER (WHERE rejected) FROM '{f}'"));
        // Ids follow arrival order; requests still in flight at the horizon have ids but no row.
        Assert.Equal(completed + rejected, DuckDb.Scalar($"SELECT count(DISTINCT request_id) FROM '{f}'"));
        Assert.Equal((double)runs.RequestSummary["slo_attainment"]!, DuckDb.Scalar($"SELECT avg(slo_met::INTEGER) FROM '{f}'"), 1e-6);
        Assert.Equal(0, DuckDb.Scalar($"SELECT count(*) FROM '{f}' WHERE NOT rejected AND (first_token < arrival OR completion < first_token)"));
        Assert.Equal(0, DuckDb.Scalar($"SELECT count(*) FROM '{f}' WHERE NOT rejected AND abs(epoch(completion) - epoch(arrival) - e2e_s) > 1e-5"));
        Assert.Equal(RequestDataset.Columns.Length, DuckDb.Types(f).Count);
    }

    [Fact]
    public void Requests_Percentiles_AgreeWithTheSummarySketch()
    {
        string f = File(runs.RequestFolder, "requests");

        // The summary's percentiles come from a quantile sketch; 2 % covers its rank error here.
        double p50 = DuckDb.Scalar($"SELECT quantile_cont(ttft_s, 0.5) FROM '{f}' WHERE NOT rejected");
        Assert.Equal((double)runs.RequestSummary["ttft_p50_s"]!, p50, (double)runs.RequestSummary["ttft_p50_s"]! * 0.02);
        double e2e = DuckDb.Scalar($"SELECT quantile_cont(e2e_s, 0.5) FROM '{f}' WHERE NOT rejected");
        Assert.Equal((double)runs.RequestSummary["e2e_p50_s"]!, e2e, (double)runs.RequestSummary["e2e_p50_s"]! * 0.02);
    }

    [Fact]
    public void Request_FacilityRows_FollowTheOverriddenHorizon() =>
        Assert.Equal(QuickRuns.RequestHorizonS / QuickRuns.OutputIntervalS, DuckDb.Scalar($"SELECT count(*) FROM '{File(runs.RequestFolder, "facility")}'"));

    [Fact]
    public void Runs_LeaveNoTemporaryFiles() =>
        Assert.Empty(Directory.GetFiles(runs.FluidFolder, "*.tmp", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(runs.RequestFolder, "*.tmp", SearchOption.AllDirectories)));
}
