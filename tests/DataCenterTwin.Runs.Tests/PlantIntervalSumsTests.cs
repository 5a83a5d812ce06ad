using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Runs.Tests;

/// <summary>
/// The twin's plant samples are the time means of what each control step read from each unit:
/// here the sums are kept again, unit by unit and step by step, from the cooling system's public
/// readings through its interface lists (the twin reads its chillers and CDUs through arrays of
/// their classes), and every field of every sample must come out with the same bits. The hall has
/// every kind of unit the plant dataset lists: chillers, CDUs, CRAHs, the loop, pumps, the tower,
/// the economizer and the warm-water loop's dry cooler.
/// </summary>
public class PlantIntervalSumsTests
{
    private const string Cooling = """
        cooling:
          facility_supply: 20 C
          facility_delta_t: 8 K
          crah:
            capacity: 150 kW
            airflow: 12 m3/s
            fan_power: 7.5 kW
          warm_water:
            supply: 32 C
            delta_t: 10 K
            trim: chillers
        """;

    [Fact]
    public void PlantSamples_AreTheStepsMeans_BitForBit()
    {
        string text = File.ReadAllText(Repo.Path("scenarios/quick.yaml"))
            .Replace("cooling:\n  facility_supply: 14 C\n  facility_delta_t: 8 K\n", Cooling.ReplaceLineEndings("\n") + "\n", StringComparison.Ordinal)
            .Replace("horizon: ", "horizon: 2 h #", StringComparison.Ordinal);
        Assert.Contains("warm_water", text, StringComparison.Ordinal);
        var s = TwinSession.FromText(text, Repo.Path("scenarios/quick-plant.yaml"));
        var samples = new Samples();
        var steps = new Sums();
        using (s.Subscribe(samples))
        using (s.Subscribe((IControlStepObserver)steps))
        {
            s.RunToHorizon();
        }

        Assert.True(steps.Closed.Count > 0);
        Assert.Equal(steps.Closed.Count, samples.List.Count);
        string[] kinds = ["chiller", "cdu", "crah", "loop", "pump", "tower", "economizer", "dry_cooler"];
        foreach (string kind in kinds)
        {
            Assert.Contains(samples.List, p => p.UnitKind == kind);
        }

        for (int i = 0; i < samples.List.Count; i++)
        {
            var got = samples.List[i];
            var want = steps.Closed[i];
            Assert.Equal(want.UnitKind, got.UnitKind);
            double[] expected = [want.LoadW, want.ElectricW, want.GasW, want.Cop, want.SupplyC, want.ReturnC, want.FlowKgPerS, want.WaterM3];
            double[] actual = [got.LoadW, got.ElectricW, got.GasW, got.Cop, got.SupplyC, got.ReturnC, got.FlowKgPerS, got.WaterM3];
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected[k]) == BitConverter.DoubleToInt64Bits(actual[k]),
                    $"sample {i} ({got.Unit}, {got.UnitKind}), field {k}: {actual[k]:R} against {expected[k]:R}");
            }
        }

        // The plant did work: a chiller or the economizer carried load, and the dry cooler rejected heat.
        Assert.Contains(samples.List, p => p.UnitKind is "chiller" or "economizer" && p.LoadW > 0);
        Assert.Contains(samples.List, p => p.UnitKind == "dry_cooler" && p.LoadW > 0);
    }

    private sealed class Samples : ITwinObserver
    {
        public List<PlantSample> List { get; } = [];

        public void OnFacilityInterval(in FacilitySample interval)
        {
        }

        public void OnRackInterval(in RackSample interval)
        {
        }

        public void OnPlantInterval(in PlantSample interval) => List.Add(interval);

        public void OnEvent(in TwinEvent e)
        {
        }
    }

    // Each unit's readings, in the order of the plant dataset's rows, summed after each step and
    // closed every 15 steps (15 minutes of one-minute steps).
    private sealed class Sums : IControlStepObserver
    {
        private double[][] _sums = [];
        private int _steps;

        public List<PlantSample> Closed { get; } = [];

        public void OnControlStep(HallTwin t)
        {
            var c = t.Parts.Cooling;
            var readings = Readings(c);
            if (_sums.Length != readings.Count)
            {
                _sums = [.. readings.Select(_ => new double[7])];
            }

            double dt = t.Parts.ControlStepS;
            for (int u = 0; u < readings.Count; u++)
            {
                var (_, values) = readings[u];
                for (int k = 0; k < 6; k++)
                {
                    _sums[u][k] += values[k] * dt;
                }

                _sums[u][6] += values[6] * dt;
            }

            if (++_steps < 15)
            {
                return;
            }

            double span = _steps * dt;
            for (int u = 0; u < readings.Count; u++)
            {
                var a = _sums[u];
                double energyIn = a[1] + a[2];
                Closed.Add(new PlantSample
                {
                    UnitKind = readings[u].Kind,
                    LoadW = a[0] / span,
                    ElectricW = a[1] / span,
                    GasW = a[2] / span,
                    Cop = energyIn > 0 && a[0] > 0 ? a[0] / energyIn : double.NaN,
                    SupplyC = a[3] / span,
                    ReturnC = a[4] / span,
                    FlowKgPerS = a[5] / span,
                    WaterM3 = a[6],
                });
            }

            _sums = [.. readings.Select(_ => new double[7])];
            _steps = 0;
        }

        // Per unit: load, electric, gas, supply, return, flow, and the water rate (the tower's only).
        private static List<(string Kind, double[] Values)> Readings(CoolingSystem c)
        {
            double nan = double.NaN;
            var list = new List<(string, double[])>();
            foreach (var ch in c.Plant.Chillers)
            {
                list.Add(("chiller", [ch.CoolingW, ch.ElectricW, ch.FuelW, c.FacilitySupplyC, c.FacilityReturnC, nan, 0]));
            }

            foreach (var cdu in c.Cdus)
            {
                list.Add(("cdu", [cdu.HeatToFacilityW, cdu.Pumps.PowerW, 0, cdu.SupplyTempC, cdu.ReturnTempC, cdu.FlowKgPerS, 0]));
            }

            double crahTotalW = 0;
            foreach (double w in c.CrahLoadW)
            {
                crahTotalW += w;
            }

            for (int i = 0; i < c.Spec.Crahs.Count; i++)
            {
                double fan = crahTotalW > 0 ? c.CrahFanPowerW * c.CrahLoadW[i] / crahTotalW : 0;
                list.Add(("crah", [c.CrahLoadW[i], fan, 0, c.SupplyAirC, nan, nan, 0]));
            }

            list.Add(("loop", [c.HeatRemovedW, 0, 0, c.FacilitySupplyC, c.FacilityReturnC, c.FacilityPumps.FlowKgPerS, 0]));
            list.Add(("pump", [0, c.FacilityPumps.PowerW, 0, nan, nan, c.FacilityPumps.FlowKgPerS, 0]));
            list.Add(("pump", [0, c.Plant.CondenserPumps.PowerW, 0, nan, nan, c.Plant.CondenserPumps.FlowKgPerS, 0]));
            var t = c.Plant.Tower;
            list.Add(("tower", [t.HeatRejectedW, t.FanPowerW, 0, t.LeavingWaterC, nan, nan, c.WaterUseM3PerS]));
            if (c.Plant.Spec.HasEconomizer)
            {
                list.Add(("economizer", [c.Plant.EconomizerCoolingW, 0, 0, c.FacilitySupplyC, c.FacilityReturnC, nan, 0]));
            }

            if (c.WarmLoop is { } warm)
            {
                list.Add(("pump", [0, warm.Pumps.PowerW, 0, nan, nan, warm.Pumps.FlowKgPerS, 0]));
                list.Add(("dry_cooler", [warm.DryCooler.HeatRejectedW, warm.DryCooler.FanPowerW, 0, warm.SupplyTempC, warm.ReturnTempC, warm.Pumps.FlowKgPerS, 0]));
            }

            return list;
        }
    }
}
