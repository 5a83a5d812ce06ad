using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Twin;

public sealed partial class HallTwin
{
    private readonly RackIntervalSums _rackSums;
    private readonly (string Name, string Kind, int Index)[] _plantUnits;
    private readonly PlantAccumulator[] _plantAcc;

    [NotState] // how the run is observed, set by whoever runs it: a restored twin keeps its own
    private bool _plantSumsKept = true;

    // Whether the plant's sums were added at every step of the open interval.
    private bool _plantSumsComplete = true;

    /// <summary>
    /// Whether the twin keeps the plant units' interval sums: true by default; a run whose outputs
    /// read no plant interval (a run folder without traces: its report) says so, and the control
    /// step skips them. An interval not kept whole gives its plant samples NaN for every figure.
    /// </summary>
    public bool PlantSumsKept
    {
        get => _plantSumsKept;
        set => _plantSumsKept = value;
    }

    private struct PlantAccumulator
    {
        public double LoadJ, ElectricJ, GasJ, SupplyCs, ReturnCs, FlowKg, WaterM3;

        // One step's readings times the step, each added as its own product.
        public void Add(double load, double electric, double gas, double supply, double ret, double flow, double dt)
        {
            LoadJ += load * dt;
            ElectricJ += electric * dt;
            GasJ += gas * dt;
            SupplyCs += supply * dt;
            ReturnCs += ret * dt;
            FlowKg += flow * dt;
        }
    }

    // What each plant unit is, as a number: read per unit per step, where a switch on the kind's
    // name compared strings. Worked from _plantUnits, fixed when the twin is built, so not state.
    private enum UnitKind : byte
    {
        Chiller,
        Cdu,
        Crah,
        Loop,
        Pump,
        DryCooler,
        Economizer,
        Tower,
    }

    [NotState]
    private UnitKind[]? _plantKinds;

    private UnitKind[] PlantKinds => _plantKinds ??= [.. _plantUnits.Select(u => u.Kind switch
    {
        "chiller" => UnitKind.Chiller,
        "cdu" => UnitKind.Cdu,
        "crah" => UnitKind.Crah,
        "loop" => UnitKind.Loop,
        "pump" => UnitKind.Pump,
        "dry_cooler" => UnitKind.DryCooler,
        "economizer" => UnitKind.Economizer,
        _ => UnitKind.Tower,
    })];

    private static (string, string, int)[] PlantUnits(CoolingSystem c)
    {
        var units = new List<(string, string, int)>();
        for (int i = 0; i < c.Plant.Chillers.Count; i++)
        {
            units.Add((c.Plant.Chillers[i].Spec.Name, "chiller", i));
        }

        for (int i = 0; i < c.Cdus.Count; i++)
        {
            units.Add((c.Cdus[i].Spec.Name, "cdu", i));
        }

        for (int i = 0; i < c.Spec.Crahs.Count; i++)
        {
            units.Add((c.Spec.Crahs[i].Name, "crah", i));
        }

        units.Add((c.FacilityLoop.Spec.Name, "loop", 0));
        units.Add((c.FacilityPumps.Spec.Name, "pump", 0));
        units.Add((c.Plant.CondenserPumps.Spec.Name, "pump", 1));
        units.Add(("cooling-tower", "tower", 0));
        if (c.Plant.Spec.HasEconomizer)
        {
            units.Add(("economizer", "economizer", 0));
        }

        // The warm-water loop's pumps and dry cooler, so a balance read from this dataset alone
        // sees every pump and the heat that leaves without reaching the chilled water.
        if (c.WarmLoop is { } warm)
        {
            units.Add((warm.Pumps.Spec.Name, "pump", 2));
            units.Add(("dry-cooler", "dry_cooler", 0));
        }

        return [.. units];
    }

    /// <summary>A rack's exhaust air temperature at the last step: inlet plus its air-side heat over the airflow, °C.</summary>
    public double RackOutletAirC(int rack)
    {
        var c = _p.Cooling;
        double airflow = c.RackAirflowM3PerS[rack];
        return airflow > 0 ? c.RackInletTempC[rack] + (c.RackAirHeatW[rack] / (AirPathSpec.AirVolumetricHeatCapacity * airflow)) : c.RackInletTempC[rack];
    }

    private void AccumulateRacksAndPlant()
    {
        if (_observers.Count == 0)
        {
            return;
        }

        var c = _p.Cooling;
        double dt = _stepS;
        var kept = KeptRackSums();
        if (kept == RackReadings.All)
        {
            ReadCduSupplies();
        }

        _workers.Run(_racks, _rackAccumulation ??= new RackAccumulation(this));
        _plantSumsComplete = (_stepInInterval == 0 || _plantSumsComplete) && _plantSumsKept;
        if (!_plantSumsComplete)
        {
            return;
        }

        // The CRAHs' total load, summed once a step rather than once per CRAH.
        double crahTotalW = 0;
        foreach (double w in c.CrahLoadW)
        {
            crahTotalW += w;
        }

        var kinds = PlantKinds;
        var chillers = c.Plant.ChillerUnits;
        var cdus = c.CduUnits;
        var units = _plantUnits;
        var acc = _plantAcc;
        for (int u = 0; u < units.Length && u < acc.Length && u < kinds.Length; u++)
        {
            ref var a = ref acc[u];
            int i = units[u].Index;

            // Each kind's readings straight from its unit, added in place: a switch returning a
            // six-tuple through interface lists and properties was most of this loop's time.
            switch (kinds[u])
            {
                case UnitKind.Chiller:
                    var ch = chillers[i];
                    a.Add(ch.CoolingW, ch.ElectricW, ch.FuelW, c.FacilitySupplyC, c.FacilityReturnC, double.NaN, dt);
                    break;
                case UnitKind.Cdu:
                    var cdu = cdus[i];
                    a.Add(cdu.HeatToFacilityW, cdu.Pumps.PowerW, 0, cdu.SupplyTempC, cdu.ReturnTempC, cdu.FlowKgPerS, dt);
                    break;
                case UnitKind.Crah:
                    double fan = crahTotalW > 0 ? c.CrahFanPowerW * c.CrahLoadW[i] / crahTotalW : 0;
                    a.Add(c.CrahLoadW[i], fan, 0, c.SupplyAirC, double.NaN, double.NaN, dt);
                    break;
                case UnitKind.Loop:
                    a.Add(c.HeatRemovedW, 0, 0, c.FacilitySupplyC, c.FacilityReturnC, c.FacilityPumps.FlowKgPerS, dt);
                    break;
                case UnitKind.Pump:
                    var pump = i switch { 0 => c.FacilityPumps, 1 => c.Plant.CondenserPumps, _ => c.WarmLoop!.Pumps };
                    a.Add(0, pump.PowerW, 0, double.NaN, double.NaN, pump.FlowKgPerS, dt);
                    break;
                case UnitKind.DryCooler:
                    var warm = c.WarmLoop!;
                    a.Add(warm.DryCooler.HeatRejectedW, warm.DryCooler.FanPowerW, 0, warm.SupplyTempC, warm.ReturnTempC, warm.Pumps.FlowKgPerS, dt);
                    break;
                case UnitKind.Economizer:
                    a.Add(c.Plant.EconomizerCoolingW, 0, 0, c.FacilitySupplyC, c.FacilityReturnC, double.NaN, dt);
                    break;
                default:
                    var t = c.Plant.Tower;
                    a.Add(t.HeatRejectedW, t.FanPowerW, 0, t.LeavingWaterC, double.NaN, double.NaN, dt);
                    a.WaterM3 += c.WaterUseM3PerS * dt;
                    break;
            }
        }
    }

    // The closing interval's rack samples: scratch, filled before the observers read them.
    [NotState]
    private RackSample[]? _rackSamples;

    private string PlantMode(int u)
    {
        var c = _p.Cooling;
        int i = _plantUnits[u].Index;
        switch (PlantKinds[u])
        {
            case UnitKind.Chiller:
                var ch = c.Plant.Chillers[i];
                if (ch.IsTripped)
                {
                    return "failed";
                }

                if (ch is HybridChiller h && ch.CoolingW > 0)
                {
                    return h.GasShare >= 1 ? "gas" : h.GasShare <= 0 ? "electric" : "split";
                }

                return ch.CoolingW > 0 ? (ch.FuelW > 0 ? "gas" : "electric") : "off";
            case UnitKind.Cdu:
                return c.Cdus[i].IsTripped ? "failed" : "on";
            case UnitKind.Crah:
                return c.IsCrahTripped(i) ? "failed" : "on";
            case UnitKind.Economizer:
                return c.Plant.EconomizerCoolingW > 0 ? "on" : "off";
            case UnitKind.DryCooler:
                return c.WarmLoop!.DryCooler.HeatRejectedW > 0 ? "on" : "off";
            default:
                return "on";
        }
    }

    private void EmitInterval()
    {
        var interval = _interval.Close();
        _stepInInterval = 0;
        if (_observers.Count == 0)
        {
            return;
        }

        double t = interval.DurationS;
        foreach (var o in _observers)
        {
            o.OnFacilityInterval(interval);
        }

        // The racks' samples handed over in one call per observer: two interface calls per rack
        // (the session's fan-out, then each output) were most of an interval's closing.
        var sums = _rackSums;
        var samples = _rackSamples ??= new RackSample[_racks];
        IntervalSamples(samples, interval.StartS, t, _rackSumsComplete == RackReadings.All);

        foreach (var o in _observers)
        {
            o.OnRackIntervals(samples);
        }

        sums.Clear(_rackSumsOpened);

        for (int u = 0; u < _plantUnits.Length; u++)
        {
            ref var a = ref _plantAcc[u];
            if (!_plantSumsComplete)
            {
                a = new PlantAccumulator { LoadJ = double.NaN, ElectricJ = double.NaN, GasJ = double.NaN, SupplyCs = double.NaN, ReturnCs = double.NaN, FlowKg = double.NaN, WaterM3 = double.NaN };
            }

            double energyIn = a.ElectricJ + a.GasJ;
            var sample = new PlantSample
            {
                StartS = interval.StartS,
                DurationS = t,
                Unit = _plantUnits[u].Name,
                UnitKind = _plantUnits[u].Kind,
                Mode = PlantMode(u),
                LoadW = a.LoadJ / t,
                ElectricW = a.ElectricJ / t,
                GasW = a.GasJ / t,
                Cop = energyIn > 0 && a.LoadJ > 0 ? a.LoadJ / energyIn : double.NaN,
                SupplyC = a.SupplyCs / t,
                ReturnC = a.ReturnCs / t,
                FlowKgPerS = a.FlowKg / t,
                WaterM3 = a.WaterM3,
            };
            foreach (var o in _observers)
            {
                o.OnPlantInterval(sample);
            }

            a = default;
        }
    }
}
