using DataCenterTwin.Calibration.Twin;

namespace DataCenterTwin.Calibration.Tests.Twin;

/// <summary>
/// The likelihood over window means, against a hand computation: telemetry that is the twin's own
/// output plus known offsets, eight quarter hours compared as two hourly means. The Gaussian mean of
/// n rows of noise σ has scale σ/√n, so each hour contributes −½·(mean offset / (σ/√n))² − ln(σ/√n).
/// </summary>
public class WindowAveragingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dctwin-cal-avg-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public void HourlyMeans_GiveTheHandComputedLogLikelihood()
    {
        string scenario = SmallHall.Write(_folder);
        var parameter = SmallHall.OtherFraction();
        const int rows = 8;
        const double sigma = 2_000;
        var times = Enumerable.Range(0, rows).Select(k => SmallHall.StartUtc.AddSeconds(900.0 * k)).ToArray();
        var shape = new ObservedSeries(SmallHall.TotalPower(sigma), times, new double[rows], 0, 0);
        var model = new TwinForwardModel(scenario, SmallHall.Assets, [parameter], [shape]);
        var clean = model.NewPrediction();
        Assert.True(model.Predict([0.05], clean));
        double[] offsets = [1_000, -3_000, 500, 2_500, 4_000, 4_000, -1_000, 1_000];
        var observed = shape with { Values = [.. clean[0].Select((v, j) => v + offsets[j])] };

        var hourly = new TwinCalibration(new TwinForwardModel(scenario, SmallHall.Assets, [parameter], [observed]), [parameter], averageOverS: 3600);
        var perRow = new TwinCalibration(new TwinForwardModel(scenario, SmallHall.Assets, [parameter], [observed]), [parameter]);
        double prior = parameter.Prior.LogDensity(0.05);
        // Hour 1: mean offset 250 W over 4 rows, scale 1,000 W; hour 2: 2,000 W, scale 1,000 W.
        double expectedHourly = prior + (-0.5 * 0.25 * 0.25 - Math.Log(1000)) + (-0.5 * 2.0 * 2.0 - Math.Log(1000));
        double expectedPerRow = prior + offsets.Sum(d => -0.5 * (d / sigma) * (d / sigma) - Math.Log(sigma));
        Assert.Equal(3600, hourly.AverageOverS);
        Assert.Equal(expectedHourly, hourly.LogPosterior([0.05]), 9);
        Assert.Equal(expectedPerRow, perRow.LogPosterior([0.05]), 9);
    }

    [Fact]
    public void AWindowNoLongerThanTheInterval_ComparesEachRow() =>
        Assert.Equal(0, new TwinCalibration(new TwinForwardModel(SmallHall.Write(_folder), SmallHall.Assets, [SmallHall.OtherFraction()],
            [new ObservedSeries(SmallHall.TotalPower(2_000), [SmallHall.StartUtc, SmallHall.StartUtc.AddSeconds(900)], [0.0, 0.0], 0, 0)]), [SmallHall.OtherFraction()], averageOverS: 900).AverageOverS);
}
