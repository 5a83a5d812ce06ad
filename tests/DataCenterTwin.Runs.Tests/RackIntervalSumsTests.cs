using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Runs.Tests;

/// <summary>
/// The twin's rack samples are the time means of what each control step gave each rack: here the
/// sums are kept again, rack by rack and step by step, from the step's own outputs (the twin's rack
/// power and clock, the cooling system's temperatures, airflow and CDU supply), and every field of
/// every sample must come out with the same bits. The quick hall's identical racks are the case
/// where the twin hands a rack its neighbour's sums rather than adding them up.
/// </summary>
public class RackIntervalSumsTests
{
    [Theory]
    [InlineData("fluid")]
    [InlineData("request")]
    public void RackSamples_AreTheStepsMeans_BitForBit(string fidelity)
    {
        var s = Repo.Quick("2 h", fidelity);
        var samples = new Samples();
        var steps = new Sums();
        using (s.Subscribe(samples))
        using (s.Subscribe((IControlStepObserver)steps))
        {
            s.RunToHorizon();
        }

        int racks = s.Twin.Parts.Cooling.RackCount;
        Assert.Equal(8 * racks, samples.List.Count); // 2 h of 15-minute intervals
        Assert.Equal(samples.List.Count, steps.Closed.Count);
        for (int i = 0; i < samples.List.Count; i++)
        {
            var got = samples.List[i];
            var want = steps.Closed[i];
            Assert.Equal(want.Rack, got.Rack);
            double[] expected = [want.PowerW, want.InletC, want.InletMaxC, want.OutletC, want.LiquidSupplyC, want.LiquidReturnC, want.AcceleratorMaxC, want.ThrottleFraction, want.SpeedFactor];
            double[] actual = [got.PowerW, got.InletC, got.InletMaxC, got.OutletC, got.LiquidSupplyC, got.LiquidReturnC, got.AcceleratorMaxC, got.ThrottleFraction, got.SpeedFactor];
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected[k]) == BitConverter.DoubleToInt64Bits(actual[k]),
                    $"sample {i} (rack {got.Rack}), field {k}: {actual[k]:R} against {expected[k]:R}");
            }
        }

        // At fluid level racks of one pool drew the same power: the case the shortcut serves.
        Assert.True(fidelity != "fluid" || samples.List.Exists(a => samples.List.Exists(b => b.Rack != a.Rack && b.StartS == a.StartS && b.PowerW == a.PowerW)));
    }

    private sealed class Samples : ITwinObserver
    {
        public List<RackSample> List { get; } = [];

        public void OnFacilityInterval(in FacilitySample interval)
        {
        }

        public void OnRackInterval(in RackSample interval) => List.Add(interval);

        public void OnPlantInterval(in PlantSample interval)
        {
        }

        public void OnEvent(in TwinEvent e)
        {
        }
    }

    // Each rack's sums over the steps of an interval, added after each step in the order the twin's
    // RackIntervalSums adds them, and closed every 15 steps (15 minutes of one-minute steps).
    private sealed class Sums : IControlStepObserver
    {
        private double[] _powerJ = [], _inletCs = [], _inletMaxC = [], _outletCs = [], _supplyCs = [], _returnCs = [], _accelMaxC = [], _throttledS = [], _speedS = [];
        private int _steps;

        public List<RackSample> Closed { get; } = [];

        public void OnControlStep(HallTwin t)
        {
            var c = t.Parts.Cooling;
            int n = c.RackCount;
            if (_powerJ.Length != n)
            {
                Clear(n);
            }

            double dt = t.Parts.ControlStepS;
            for (int r = 0; r < n; r++)
            {
                double inlet = c.RackInletTempC[r];
                _powerJ[r] += t.RackPowerW[r] * dt;
                _inletCs[r] += inlet * dt;
                _inletMaxC[r] = Math.Max(_inletMaxC[r], inlet);
                double airflow = c.RackAirflowM3PerS[r];
                double outlet = airflow > 0 ? inlet + (c.RackAirHeatW[r] / (AirPathSpec.AirVolumetricHeatCapacity * airflow)) : inlet;
                _outletCs[r] += outlet * dt;
                var spec = c.Spec.Racks[r];
                bool liquid = spec.Cooling == RackCoolingType.DirectToChip && spec.Cdu >= 0;
                _supplyCs[r] += (liquid ? c.Cdus[spec.Cdu].SupplyTempC : double.NaN) * dt;
                _returnCs[r] += (liquid ? c.RackCoolantOutletTempC[r] : double.NaN) * dt;
                _accelMaxC[r] = Math.Max(_accelMaxC[r], c.RackAcceleratorTempC[r]);
                _throttledS[r] += t.RackSpeedFactor[r] < 1 ? dt : 0;
                _speedS[r] += t.RackSpeedFactor[r] * dt;
            }

            if (++_steps < 15)
            {
                return;
            }

            double span = _steps * dt;
            for (int r = 0; r < n; r++)
            {
                Closed.Add(new RackSample
                {
                    Rack = r,
                    PowerW = _powerJ[r] / span,
                    InletC = _inletCs[r] / span,
                    InletMaxC = _inletMaxC[r],
                    OutletC = _outletCs[r] / span,
                    LiquidSupplyC = _supplyCs[r] / span,
                    LiquidReturnC = _returnCs[r] / span,
                    AcceleratorMaxC = _accelMaxC[r],
                    ThrottleFraction = _throttledS[r] / span,
                    SpeedFactor = _speedS[r] / span,
                });
            }

            Clear(n);
        }

        private void Clear(int n)
        {
            _powerJ = new double[n];
            _inletCs = new double[n];
            _inletMaxC = new double[n];
            _outletCs = new double[n];
            _supplyCs = new double[n];
            _returnCs = new double[n];
            _accelMaxC = new double[n];
            _throttledS = new double[n];
            _speedS = new double[n];
            _steps = 0;
        }
    }
}
