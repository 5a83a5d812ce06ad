using DataCenterTwin.Calibration.Priors;
using DataCenterTwin.Calibration.Twin;

namespace DataCenterTwin.Calibration.Tests.Twin;

/// <summary>
/// Why the forward model blends chiller staging: along the facility supply temperature, a crisp
/// plant's cooling power steps by kilowatts in an interval whenever the set point moves the
/// one-to-two-chiller crossing across a control step, so the likelihood is terraced; with the
/// forward model's staging band, neighbouring points of a fine scan differ by little. The hall is
/// the small one with two 100 kW chillers, so its 130–150 kW of heat crosses 0.9 of one chiller.
/// </summary>
public class SmoothStagingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dctwin-cal-smooth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public void ChillerCapacityScan_CrispStagingSteps_TheBandedForwardModelDoesNot()
    {
        Directory.CreateDirectory(_folder);
        string scenario = Path.Combine(_folder, "two-chillers.yaml");
        File.WriteAllText(scenario, SmallHall.Yaml.Replace(
            "      capacity: 200 kW", "      capacity: 200 kW\n    - name: chiller-2\n      type: electric\n      capacity: 200 kW", StringComparison.Ordinal));
        var parameter = new ParameterSpec("chiller_capacity", "cooling.chillers[0].capacity", "kW", new NormalPrior(150, 30));
        const int rows = 24;
        var times = Enumerable.Range(0, rows).Select(k => SmallHall.StartUtc.AddSeconds(900.0 * k)).ToArray();
        var spec = new ObservationSpec("cooling_electric_power_w", "synthetic", TwinDataset.Facility, "cooling_electric_power_w", "cooling_electric_power_w",
            null, "time", null, null, new NoiseSpec(NoiseKind.Gaussian, 2_000, null, double.PositiveInfinity));
        var shape = new ObservedSeries(spec, times, new double[rows], 0, 0);

        double LargestJump(double band)
        {
            var model = new TwinForwardModel(scenario, SmallHall.Assets, [parameter], [shape]) { StagingBlendBandRatio = band };
            var last = model.NewPrediction();
            var next = model.NewPrediction();
            Assert.True(model.Predict([75.0], last));
            double largest = 0;
            // 75–100 kW in steps of 0.25 kW: 0.9 of the first chiller (67–90 kW) sweeps across the
            // small hall's night-time heat (a peak grid draw of 87 kW over these six hours).
            for (int k = 1; k <= 100; k++)
            {
                Assert.True(model.Predict([75.0 + (0.25 * k)], next));
                for (int j = 0; j < rows; j++)
                {
                    largest = Math.Max(largest, Math.Abs(next[0][j] - last[0][j]));
                }

                (last, next) = (next, last);
            }

            return largest;
        }

        double crisp = LargestJump(0);
        double banded = LargestJump(0.1);
        // The crisp scan must cross a staging point (a quarter hour holds three control steps, so a
        // step moved is a third of the one-to-two-chiller difference), or this test shows nothing.
        Assert.True(crisp > 1_000, $"crisp largest jump {crisp:F0} W: the scan crossed no staging point");
        Assert.True(banded < 0.1 * crisp, $"banded largest jump {banded:F0} W against crisp {crisp:F0} W");
    }
}
