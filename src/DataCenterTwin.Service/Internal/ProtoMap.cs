using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs;
using DataCenterTwin.Service.V1;
using Google.Protobuf.WellKnownTypes;
using ControlKind = DataCenterTwin.Model.Twin.ControlKind;
using ProtoControlKind = DataCenterTwin.Service.V1.ControlKind;
using ProtoSnapshot = DataCenterTwin.Service.V1.Snapshot;

namespace DataCenterTwin.Service.Internal;

/// <summary>Which parts of a snapshot a caller asked for.</summary>
[Flags]
internal enum SnapshotParts
{
    None = 0,
    Facility = 1,
    Racks = 2,
    Plant = 4,
    Classes = 8,
    All = Facility | Racks | Plant | Classes,
}

/// <summary>Between the session API's types and the wire's.</summary>
internal static class ProtoMap
{
    public static SnapshotParts Parts(FieldMask? mask, SnapshotParts whenEmpty)
    {
        if (mask is null || mask.Paths.Count == 0)
        {
            return whenEmpty;
        }

        var parts = SnapshotParts.None;
        foreach (string path in mask.Paths)
        {
            parts |= path switch
            {
                "facility" => SnapshotParts.Facility,
                "racks" => SnapshotParts.Racks,
                "plant" => SnapshotParts.Plant,
                "classes" => SnapshotParts.Classes,
                _ => throw new ArgumentException($"field_mask: no part \"{path}\"; known: facility, racks, plant, classes"),
            };
        }

        return parts;
    }

    public static ProtoSnapshot ToProto(TwinSnapshot s, TwinSession session, SnapshotParts parts)
    {
        var p = new ProtoSnapshot { SimTimeS = s.TimeS, Step = s.Step };
        if ((parts & SnapshotParts.Facility) != 0)
        {
            p.Facility = new FacilityState
            {
                ItPowerW = s.ItW,
                CoolingPowerW = s.CoolingW,
                LossesPowerW = s.LossesW,
                OtherPowerW = s.OtherW,
                TotalPowerW = s.TotalW,
                Pue = s.ItW > 0 ? s.Pue : 0,
                GridPowerW = s.GridW,
                GridCapW = s.GridCapW,
                FreedCapacityW = s.FreedW,
                GasPowerW = s.GasW,
                GasShare = s.GasShare,
                UpsStateOfCharge = s.UpsStateOfCharge,
                UpsPowerW = s.UpsW,
                GeneratorPowerW = s.GeneratorW,
                GeneratorRunning = s.GeneratorRunning,
                Utilisation = s.Utilisation,
                FacilitySupplyC = s.FacilitySupplyC,
                FacilityReturnC = s.FacilityReturnC,
                ItEnergyJ = s.ItJ,
                CoolingEnergyJ = s.CoolingJ,
                TotalEnergyJ = s.TotalJ,
            };
        }

        var names = session.Twin.Names;
        if ((parts & SnapshotParts.Racks) != 0)
        {
            for (int r = 0; r < s.RackPowerW.Length; r++)
            {
                p.Racks.Add(new RackState
                {
                    Name = names.Racks[r],
                    PowerW = s.RackPowerW[r],
                    InletC = s.RackInletC[r],
                    OutletC = s.RackOutletC[r],
                    SpeedFactor = s.RackSpeedFactor[r],
                    Throttled = s.RackThrottled[r],
                    Utilisation = s.RackUtilisation[r],
                });
            }
        }

        if ((parts & SnapshotParts.Plant) != 0)
        {
            var cooling = session.Twin.Parts.Cooling;
            var plant = new PlantState();
            for (int i = 0; i < s.ChillerLoadW.Length; i++)
            {
                plant.Chillers.Add(new ChillerState
                {
                    Name = cooling.Plant.Chillers[i].Spec.Name,
                    Mode = s.ChillerMode[i] ?? "",
                    LoadW = s.ChillerLoadW[i],
                    Cop = s.ChillerCop[i],
                    ElectricPowerW = s.ChillerElectricW[i],
                    FuelPowerW = s.ChillerFuelW[i],
                    Tripped = s.ChillerTripped[i],
                });
            }

            for (int i = 0; i < s.CduSupplyC.Length; i++)
            {
                plant.Cdus.Add(new CduState
                {
                    Name = cooling.Cdus[i].Spec.Name,
                    SupplyC = s.CduSupplyC[i],
                    ReturnC = s.CduReturnC[i],
                    HeatW = s.CduHeatW[i],
                    Tripped = s.CduTripped[i],
                });
            }

            p.Plant = plant;
        }

        if ((parts & SnapshotParts.Classes) != 0 && session.Twin.Compute is { } compute)
        {
            for (int k = 0; k < s.Classes.Length; k++)
            {
                var c = s.Classes[k];
                p.Classes.Add(new ClassState
                {
                    Name = compute.ClassNames[k],
                    Arrived = c.Arrived,
                    Completed = c.Completed,
                    Rejected = c.Rejected,
                    InSystem = c.InSystem,
                    TtftP50S = Finite(c.TtftP50S),
                    TtftP99S = Finite(c.TtftP99S),
                    E2EP50S = Finite(c.E2eP50S),
                    E2EP99S = Finite(c.E2eP99S),
                });
            }
        }

        return p;
    }

    public static Topology Topology(TwinSession session)
    {
        var t = new Topology();
        var twin = session.Twin;
        t.Racks.AddRange(twin.Names.Racks);
        foreach (var c in twin.Parts.Cooling.Plant.Chillers)
        {
            var info = new ChillerInfo { Name = c.Spec.Name, Kind = ChillerKind(c), RatedCapacityW = c.Spec.NominalCapacityW };
            info.Modes.Add(c switch
            {
                HybridChiller => [ChillerMode.Electric, ChillerMode.Gas, ChillerMode.GasShare, ChillerMode.Off],
                EngineDrivenChiller => [ChillerMode.Gas, ChillerMode.Off],
                _ => new[] { ChillerMode.Electric, ChillerMode.Off },
            });
            t.Chillers.Add(info);
        }

        t.Cdus.AddRange(twin.Parts.Cooling.Cdus.Select(c => c.Spec.Name));
        if (twin.Compute is { } compute)
        {
            t.Pools.AddRange(compute.Pools.Select(p => p.Name));
            t.Classes.AddRange(compute.ClassNames);
        }

        t.DispatchPolicies.AddRange(Model.Compute.Dispatch.DispatchPolicies.Names);
        return t;
    }

    /// <summary>The session API's control for a request; throws <see cref="ArgumentException"/> for an unset kind or mode.</summary>
    public static TwinControl Control(ControlRequest r)
    {
        var kind = r.Kind switch
        {
            ProtoControlKind.FacilityWaterSetpoint => ControlKind.FacilityWaterSetpoint,
            ProtoControlKind.SupplyAirSetpoint => ControlKind.SupplyAirSetpoint,
            ProtoControlKind.ChillerMode => ControlKind.ChillerMode,
            ProtoControlKind.ItCap => ControlKind.ItCap,
            ProtoControlKind.DispatchPolicy => ControlKind.DispatchPolicy,
            ProtoControlKind.ArrivalScale => ControlKind.ArrivalScale,
            ProtoControlKind.ShedFraction => ControlKind.ShedFraction,
            _ => throw new ArgumentException($"kind: {r.Kind} is not a control; give one of FACILITY_WATER_SETPOINT, SUPPLY_AIR_SETPOINT, CHILLER_MODE, IT_CAP, DISPATCH_POLICY, ARRIVAL_SCALE, SHED_FRACTION"),
        };
        var mode = r.Mode switch
        {
            ChillerMode.Electric => ChillerModeSetting.Electric,
            ChillerMode.Gas => ChillerModeSetting.Gas,
            ChillerMode.GasShare => ChillerModeSetting.GasShare,
            ChillerMode.Off => ChillerModeSetting.Off,
            ChillerMode.Unspecified => ChillerModeSetting.Automatic,
            _ => throw new ArgumentException($"mode: {r.Mode} is not a chiller mode"),
        };
        if (!double.IsFinite(r.Value) && !r.Release)
        {
            throw new ArgumentException($"value: {r.Value} is not a finite number");
        }

        double value = kind switch
        {
            ControlKind.ChillerMode => mode == ChillerModeSetting.GasShare ? r.Value : 0,
            ControlKind.DispatchPolicy => 0,
            _ => r.Release ? double.NaN : r.Value,
        };
        if (kind == ControlKind.ChillerMode && r.Release)
        {
            mode = ChillerModeSetting.Automatic;
        }

        string target = kind == ControlKind.ItCap && r.Target.Length == 0 ? "hall" : r.Target;
        return new TwinControl(kind, value, target, mode, r.Policy, r.Source.Length == 0 ? "operator" : r.Source);
    }

    /// <summary>The session API's event for a request starting at <paramref name="start"/>.</summary>
    public static GridEventSpec Event(EventRequest r, SimTime start)
    {
        var kind = r.Kind switch
        {
            EventKind.Curtailment => GridEventKind.Curtailment,
            EventKind.DemandResponse => GridEventKind.DemandResponse,
            EventKind.Outage => GridEventKind.Outage,
            EventKind.HeatWave => GridEventKind.HeatWave,
            EventKind.EquipmentFailure => GridEventKind.EquipmentFailure,
            _ => throw new ArgumentException($"kind: {r.Kind} is not an event; give one of CURTAILMENT, DEMAND_RESPONSE, OUTAGE, HEAT_WAVE, EQUIPMENT_FAILURE"),
        };
        if (!(r.DurationS > 0) || !double.IsFinite(r.DurationS))
        {
            throw new ArgumentException($"duration_s: an event lasts more than 0 s (got {r.DurationS})");
        }

        if (!double.IsFinite(r.MagnitudeW) || r.MagnitudeW < 0)
        {
            throw new ArgumentException($"magnitude_w: {r.MagnitudeW} W is not a power of at least 0");
        }

        if (!double.IsFinite(r.MagnitudeK))
        {
            throw new ArgumentException($"magnitude_k: {r.MagnitudeK} K is not a finite number");
        }

        return new GridEventSpec(kind, start, SimTime.FromSeconds(r.DurationS), r.MagnitudeW, r.MagnitudeK, r.Target);
    }

    public static string EventKindName(TwinEventKind kind) => kind switch
    {
        TwinEventKind.EventStart => "event-start",
        TwinEventKind.EventEnd => "event-end",
        TwinEventKind.ControlDecision => "control-decision",
        TwinEventKind.GeneratorStart => "generator-start",
        TwinEventKind.GeneratorOnline => "generator-online",
        TwinEventKind.UpsDepleted => "ups-depleted",
        TwinEventKind.GridLimitExceeded => "grid-limit-exceeded",
        TwinEventKind.ManualControl => "manual-control",
        _ => kind.ToString(),
    };

    public static Fidelity Fidelity(Scenarios.Sections.Fidelity f) => f == Scenarios.Sections.Fidelity.Request ? V1.Fidelity.Request : V1.Fidelity.Fluid;

    private static string ChillerKind(IChiller c) => c switch
    {
        HybridChiller => "hybrid",
        EngineDrivenChiller => "engine-driven",
        _ => "electric",
    };

    // Quantiles of a class with no requests yet are NaN; the wire says 0 (no latency measured).
    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
