using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Runs.Tests;

/// <summary>
/// A twin that keeps only the power and inlet sums (a run folder without traces) gives those with the
/// bits of a twin that keeps them all, and NaN for the rest; an interval that gains sums partway
/// through gives NaN for those, and the next interval has them whole again. The plant units' sums
/// likewise.
/// </summary>
public class RackReadingsKeptTests
{
    [Fact]
    public void PowerAndInlets_AreTheBitsOfEverySumKept()
    {
        var all = Run(RackReadings.All, switchAtMinutes: null);
        var lean = Run(RackReadings.Power | RackReadings.Inlet, switchAtMinutes: null);
        Assert.Equal(all.Count, lean.Count);
        Assert.NotEmpty(all);
        for (int i = 0; i < all.Count; i++)
        {
            AssertBits(all[i].PowerW, lean[i].PowerW, i, "power");
            AssertBits(all[i].InletC, lean[i].InletC, i, "inlet");
            AssertBits(all[i].InletMaxC, lean[i].InletMaxC, i, "inlet max");
            Assert.True(double.IsNaN(lean[i].OutletC) && double.IsNaN(lean[i].LiquidSupplyC) && double.IsNaN(lean[i].LiquidReturnC)
                && double.IsNaN(lean[i].AcceleratorMaxC) && double.IsNaN(lean[i].ThrottleFraction) && double.IsNaN(lean[i].SpeedFactor), $"sample {i}");
            Assert.False(double.IsNaN(all[i].OutletC) || double.IsNaN(all[i].AcceleratorMaxC) || double.IsNaN(all[i].SpeedFactor), $"sample {i}");
        }
    }

    [Fact]
    public void SumsAskedForPartway_AreNaNThatInterval_AndWholeAfter()
    {
        var all = Run(RackReadings.All, switchAtMinutes: null);
        var switched = Run(RackReadings.PowerAndInlets, switchAtMinutes: 20);
        Assert.Equal(all.Count, switched.Count);
        for (int i = 0; i < all.Count; i++)
        {
            AssertBits(all[i].PowerW, switched[i].PowerW, i, "power");
            AssertBits(all[i].InletMaxC, switched[i].InletMaxC, i, "inlet max");

            // Intervals of 15 minutes: the first two (0-15, 15-30) had steps without the other sums.
            if (all[i].StartS < 1800)
            {
                Assert.True(double.IsNaN(switched[i].OutletC) && double.IsNaN(switched[i].SpeedFactor), $"sample {i} at {all[i].StartS} s");
            }
            else
            {
                AssertBits(all[i].OutletC, switched[i].OutletC, i, "outlet");
                AssertBits(all[i].LiquidSupplyC, switched[i].LiquidSupplyC, i, "liquid supply");
                AssertBits(all[i].LiquidReturnC, switched[i].LiquidReturnC, i, "liquid return");
                AssertBits(all[i].AcceleratorMaxC, switched[i].AcceleratorMaxC, i, "accelerator max");
                AssertBits(all[i].ThrottleFraction, switched[i].ThrottleFraction, i, "throttle");
                AssertBits(all[i].SpeedFactor, switched[i].SpeedFactor, i, "speed");
            }
        }
    }

    [Fact]
    public void PlantSumsNotKept_AreNaN_AndWholeFromTheIntervalAfterTheyAreAskedFor()
    {
        var all = RunSamples(RackReadings.All, plant: true, switchAtMinutes: null).Plant;
        var none = RunSamples(RackReadings.All, plant: false, switchAtMinutes: null).Plant;
        var switched = RunSamples(RackReadings.All, plant: false, switchAtMinutes: 20).Plant;
        Assert.Equal(all.Count, none.Count);
        Assert.Equal(all.Count, switched.Count);
        Assert.Contains(all, p => p.ElectricW > 0);
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(all[i].Unit, none[i].Unit);
            Assert.Equal(all[i].Mode, none[i].Mode);
            Assert.True(double.IsNaN(none[i].LoadW) && double.IsNaN(none[i].ElectricW) && double.IsNaN(none[i].SupplyC) && double.IsNaN(none[i].WaterM3), $"plant sample {i}");
            if (all[i].StartS < 1800)
            {
                Assert.True(double.IsNaN(switched[i].ElectricW), $"plant sample {i} at {all[i].StartS} s");
            }
            else
            {
                AssertBits(all[i].LoadW, switched[i].LoadW, i, "load");
                AssertBits(all[i].ElectricW, switched[i].ElectricW, i, "electric");
                AssertBits(all[i].SupplyC, switched[i].SupplyC, i, "supply");
                AssertBits(all[i].FlowKgPerS, switched[i].FlowKgPerS, i, "flow");
                AssertBits(all[i].WaterM3, switched[i].WaterM3, i, "water");
            }
        }
    }

    private static List<RackSample> Run(RackReadings kept, int? switchAtMinutes) => RunSamples(kept, plant: true, switchAtMinutes).List;

    // A quick fluid hall's 2 h with those sums kept; at switchAtMinutes (if any) every sum asked for.
    private static Samples RunSamples(RackReadings kept, bool plant, int? switchAtMinutes)
    {
        var s = Repo.Quick("2 h", "fluid");
        var samples = new Samples();
        s.Twin.RackReadingsKept = kept;
        s.Twin.PlantSumsKept = plant;
        using (s.Subscribe(samples))
        {
            if (switchAtMinutes is { } m)
            {
                s.RunUntil(SimTime.FromSeconds(m * 60), CancellationToken.None);
                s.Twin.RackReadingsKept = RackReadings.All;
                s.Twin.PlantSumsKept = true;
            }

            s.RunToHorizon();
        }

        return samples;
    }

    private static void AssertBits(double expected, double actual, int i, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"sample {i}, {what}: {actual:R} against {expected:R}");

    private sealed class Samples : ITwinObserver
    {
        public List<RackSample> List { get; } = [];

        public void OnFacilityInterval(in FacilitySample interval)
        {
        }

        public void OnRackInterval(in RackSample interval) => List.Add(interval);

        public List<PlantSample> Plant { get; } = [];

        public void OnPlantInterval(in PlantSample interval) => Plant.Add(interval);

        public void OnEvent(in TwinEvent e)
        {
        }
    }
}
