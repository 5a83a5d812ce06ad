using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Scenarios.Cooling;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>
/// Reads the <c>cooling</c> section and sizes what it leaves out from the hall: CDUs for the
/// direct-to-chip racks, CRAHs for the air heat (N+1), loop flows for the design temperature rise,
/// a tower for the chillers' heat.
/// </summary>
internal static class CoolingSection
{
    /// <summary>
    /// Reads the section; with a <c>sizing</c> rule, <paramref name="sizing"/> holds the rule and how to
    /// rebuild the plant at a unit capacity (the chillers in the returned spec are built at a nominal 1 MW unit until then).
    /// Each direct-to-chip rack of <paramref name="hall"/> gets its CDU; the returned spec's racks are the hall's.
    /// </summary>
    public static CoolingSystemSpec? Read(MapReader? cooling, ref HallSpec? hall, ChillerCurveLibrary? library, ICollection<string> equipment, out CoolingSizingDraft? sizing)
    {
        sizing = null;
        if (hall is null)
        {
            cooling?.Accept("facility_supply", "facility_delta_t", "cdu", "crah", "chillers", "tower", "condenser_pumps", "economizer", "stage_up_plr", "glycol", "sizing", "warm_water");
            return null;
        }

        var water = Coolant.Water;
        double supplyC = 14, deltaT = 8, racksPerCdu = 16, cduEffectiveness = 0.8, crahW = 150_000, crahAirflow = 12, crahFanW = 7_500;
        double approachK = 4, towerFanPerW = 0.01, econApproach = 1.5, stageUp = 0.9, econCapacityW = 0, condenserPumpPerW = 0.007;
        bool economizer = false;
        WarmWaterDraft? warm = null;
        var chillers = new List<ChillerSpec>();
        var makers = new List<Func<double, ChillerSpec>>();
        PlantSizingSpec? rule = null;
        double itW = hall.DesignPowerW;
        double liquidW = hall.Racks.Sum(r => r.Cooling == RackCoolingType.DirectToChip ? r.DesignPowerW * r.LiquidFraction : 0);
        double airW = itW - liquidW;

        if (cooling is not null)
        {
            supplyC = cooling.Quantity("facility_supply", Dimension.Temperature, supplyC, min: 4, max: 40);
            deltaT = cooling.Quantity("facility_delta_t", Dimension.TemperatureDifference, deltaT, min: 1, max: 30);

            // The CRAH coils cool the hall air with facility water: water no colder than the supply
            // air it is meant to make cannot make it (a coil needs an approach of a kelvin or more).
            if (double.IsFinite(supplyC) && supplyC > hall.Air.SupplyAirSetpointC - 1)
            {
                cooling.Error("facility_supply", $"the facility water supply ({supplyC:G4} C) must be at least 1 K colder than the hall supply air "
                    + $"(hall.air.supply_air, {hall.Air.SupplyAirSetpointC:G4} C): a CRAH coil cannot cool air below the water that feeds it");
            }
            if (cooling.Child("cdu") is { } cdu)
            {
                racksPerCdu = cdu.WholeNumber("racks_per_cdu", 16, min: 1, max: 10_000);
                cduEffectiveness = cdu.Quantity("effectiveness", Dimension.Fraction, cduEffectiveness, min: 0.05, max: 0.99);
                cdu.Done();
            }

            if (cooling.Child("crah") is { } crah)
            {
                crahW = crah.Quantity("capacity", Dimension.Power, crahW, min: 1_000);
                crahAirflow = crah.Quantity("airflow", Dimension.VolumeFlow, crahAirflow, min: 0.1);
                crahFanW = crah.Quantity("fan_power", Dimension.Power, crahFanW, min: 0);
                crah.Done();
            }

            rule = ReadSizing(cooling);
            foreach (var c in cooling.Children("chillers", required: true))
            {
                if (ReadChiller(c, library, chillers.Count, rule is not null, out var make) is { } spec)
                {
                    makers.Add(make!);
                    if (!equipment.Contains(spec.Name))
                    {
                        equipment.Add(spec.Name);
                        if (spec is HybridChillerSpec)
                        {
                            equipment.Add(spec.Name + "/engine");
                        }
                    }
                    else
                    {
                        c.Error("name", $"another piece of equipment is already named \"{spec.Name}\"");
                    }

                    chillers.Add(spec);
                }
            }

            if (cooling.Child("tower") is { } tower)
            {
                approachK = tower.Quantity("approach", Dimension.TemperatureDifference, approachK, min: 0.5, max: 20);
                towerFanPerW = tower.Quantity("fan_power_fraction", Dimension.Fraction, towerFanPerW, min: 0, max: 0.2);
                tower.Done();
            }

            condenserPumpPerW = cooling.Quantity("condenser_pump_power_fraction", Dimension.Fraction, condenserPumpPerW, min: 0, max: 0.2);
            if (cooling.Child("economizer") is { } econ)
            {
                economizer = econ.Boolean("enabled", true);
                econApproach = econ.Quantity("approach", Dimension.TemperatureDifference, econApproach, min: 0.1, max: 20);
                econCapacityW = econ.Quantity("capacity", Dimension.Power, itW * 0.5, min: 0);
                econ.Done();
            }

            stageUp = cooling.Number("stage_up_plr", stageUp, min: 0.3, max: 1);
            warm = ReadWarmWater(cooling, supplyC, liquidW, hall);
            cooling.Done();
        }

        if (chillers.Count == 0)
        {
            return null;
        }

        if (rule is not null && chillers.Count <= rule.Redundancy)
        {
            cooling?.Error("sizing", $"N+{rule.Redundancy} needs more than {rule.Redundancy} chiller(s) in cooling.chillers, got {chillers.Count}");
            return null;
        }

        double chillerW = chillers.Sum(c => c.NominalCapacityW);

        // A sizing rule decides the capacity itself: a plant right-sized for inference may carry well
        // under the hall's nameplate on purpose.
        if (rule is null && chillerW < itW * 0.8)
        {
            cooling?.Error("chillers", $"the chillers carry {chillerW / 1e3:F0} kW, less than 80 % of the hall's {itW / 1e3:F0} kW design IT load");
        }

        // CDUs: one per racksPerCdu direct-to-chip racks, in rack order.
        var racks = new List<RackDesign>();
        var cdus = new List<CduSpec>();
        int dtcSeen = 0;
        var cduLoadW = new List<double>();
        double cduPrimaryC = warm?.SupplyC ?? supplyC;
        foreach (var r in hall.Racks)
        {
            int cdu = -1;
            if (r.Cooling == RackCoolingType.DirectToChip)
            {
                cdu = (int)(dtcSeen++ / racksPerCdu);
                if (cdu == cduLoadW.Count)
                {
                    cduLoadW.Add(0);
                }

                cduLoadW[cdu] += r.DesignPowerW * r.LiquidFraction;
            }

            racks.Add(r with { Thermal = r.Thermal with { Cdu = cdu } });
        }

        hall = hall with { Racks = racks };

        int cduCount = (int)Math.Ceiling(dtcSeen / racksPerCdu);
        for (int c = 0; c < cduCount; c++)
        {
            double loadW = cduLoadW[c];
            double flow = loadW / (water.SpecificHeatJPerKgK * 10); // 10 K rise across the cold plates at design
            double initial = cduPrimaryC + (loadW / (cduEffectiveness * flow * water.SpecificHeatJPerKgK));
            string name = $"cdu-{c + 1}";
            equipment.Add(name);
            cdus.Add(new CduSpec(name, cduEffectiveness, new CoolantLoopSpec($"secondary-{c + 1}", water, Math.Max(200, loadW / 250), flow, initial),
                new PumpGroupSpec($"{name} pumps", 2, flow / 2, Math.Max(500, loadW * 0.004))) { DesignDeltaK = 10 });
        }

        // CRAHs for the air heat, N+1.
        var crahs = new List<CrahSpec>();
        int crahCount = (int)Math.Ceiling(airW / crahW) + 1;
        for (int k = 0; k < crahCount; k++)
        {
            string name = $"crah-{k + 1}";
            equipment.Add(name);
            crahs.Add(new CrahSpec(name, crahW, crahAirflow, crahFanW, supplyC, 35));
        }

        equipment.Add("facility-pump");
        double facilityFlow = itW / (water.SpecificHeatJPerKgK * deltaT);
        ChillerPlantSpec Plant(List<ChillerSpec> units)
        {
            double unitsW = units.Sum(c => c.NominalCapacityW);
            return new ChillerPlantSpec(units,
                new CoolingTowerSpec(DesignHeatRejectionW: unitsW * 1.3, DesignApproachK: approachK, DesignFanPowerW: unitsW * towerFanPerW),
                new PumpGroupSpec("condenser-water", Math.Max(2, units.Count), unitsW * 1.25 / (water.SpecificHeatJPerKgK * 5) / Math.Max(2, units.Count),
                    unitsW * condenserPumpPerW / Math.Max(2, units.Count)),
                economizer ? new WatersideEconomizerSpec(econApproach, econCapacityW) : null,
                StageUpPartLoadRatio: stageUp);
        }

        // The hall air: around each rack its footprint and one aisle width up to its height (the air
        // that mixes between the racks; plenums and the space above are left out).
        double roomAirM3 = hall.Racks.Sum(r => r.Body is { } b ? b.WidthM * (b.DepthM + LayoutSpec.DefaultAisleWidthM) * b.HeightM : AirPathSpec.DefaultRoomAirM3PerRack);
        var hallAir = hall.Air with { RoomAirHeatCapacityJPerK = roomAirM3 * AirPathSpec.AirVolumetricHeatCapacity };
        var system = new CoolingSystemSpec(hall.Thermal, hallAir, crahs, hall.Accelerators, cdus,
            new CoolantLoopSpec("facility-water", water, Math.Max(5_000, itW / 80), facilityFlow, supplyC + deltaT * 0.75),
            new PumpGroupSpec("facility-water", 3, facilityFlow / 2, itW * 0.006), supplyC, Plant(chillers))
        {
            // Variable primary flow: the pumps hold the design temperature difference.
            FacilityDesignDeltaK = deltaT,
            WarmLoop = warm?.Build(liquidW),
        };
        if (rule is not null)
        {
            // The tower, condenser pumps and every chiller follow the unit capacity the rule settles on.
            sizing = new CoolingSizingDraft(rule, chillers.Count, unitW => system with { Plant = Plant([.. makers.Select(m => m(unitW))]) });
        }

        return system;
    }

    // cooling.warm_water: { supply: 32 C, delta_t: 10 K, trim: chillers | none,
    //   dry_cooler: { approach: 10 K, capacity: 3 MW, fan_power: 30 kW } }
    private static WarmWaterDraft? ReadWarmWater(MapReader cooling, double chilledSupplyC, double liquidW, HallSpec hall)
    {
        if (cooling.Child("warm_water") is not { } w)
        {
            return null;
        }

        double supply = w.Quantity("supply", Dimension.Temperature, 32, min: 10, max: 60);
        double deltaT = w.Quantity("delta_t", Dimension.TemperatureDifference, 10, min: 1, max: 30);
        string trim = w.Text("trim", "chillers", "chillers", "none");
        // By default the dry cooler is rated for the cold plates' design heat at the market's median
        // approach, with EnergyPlus's fluid-cooler fan sizing.
        double approach = DryCoolerSpec.MarketMedianApproachK, capacity = liquidW, fan = double.NaN;
        if (w.Child("dry_cooler") is { } d)
        {
            approach = d.Quantity("approach", Dimension.TemperatureDifference, approach, min: 0.5, max: 40);
            capacity = d.Quantity("capacity", Dimension.Power, liquidW, min: 1_000);
            fan = d.Has("fan_power") ? d.Quantity("fan_power", Dimension.Power, min: 0) : double.NaN;
            d.Done();
        }

        w.Done();
        bool ok = true;
        if (!hall.Racks.Any(r => r.Cooling == RackCoolingType.DirectToChip))
        {
            cooling.Error("warm_water", "the hall has no direct-to-chip racks for a warm-water loop to serve: remove cooling.warm_water or make a pool direct-to-chip");
            ok = false;
        }

        if (double.IsFinite(supply) && double.IsFinite(chilledSupplyC) && supply < chilledSupplyC + 1)
        {
            w.Error("supply", $"the warm-water supply ({supply:G4} C) must be at least 1 K warmer than the facility (chilled) water supply "
                + $"(cooling.facility_supply, {chilledSupplyC:G4} C): the chillers trim the warm loop through an exchanger on the chilled water");
            ok = false;
        }

        return ok && double.IsFinite(supply) && double.IsFinite(deltaT) && double.IsFinite(approach) && double.IsFinite(capacity)
            ? new WarmWaterDraft(supply, deltaT, trim == "none" ? WarmWaterTrim.None : WarmWaterTrim.Chillers, approach, capacity,
                double.IsNaN(fan) ? DryCoolerSpec.EnergyPlusFanPowerPerW * capacity : fan)
            : null;
    }

    private sealed record WarmWaterDraft(double SupplyC, double DeltaK, WarmWaterTrim Trim, double ApproachK, double CapacityW, double FanPowerW)
    {
        public WarmWaterLoopSpec Build(double liquidW)
        {
            var water = Coolant.Water;
            double flow = Math.Max(liquidW, 1_000) / (water.SpecificHeatJPerKgK * DeltaK);
            // Loop mass and pump power sized as the facility loop's (cooling section defaults above).
            return new WarmWaterLoopSpec(new CoolantLoopSpec("warm-water", water, Math.Max(5_000, liquidW / 80), flow, SupplyC + (DeltaK * 0.75)),
                new PumpGroupSpec("warm-water", 3, flow / 2, liquidW * 0.006), SupplyC, DeltaK,
                new DryCoolerSpec(CapacityW, ApproachK, FanPowerW), Trim);
        }
    }

    // cooling.sizing: { basis: nameplate | p99-load, redundancy: N+1, margin: 10 % }
    private static PlantSizingSpec? ReadSizing(MapReader cooling)
    {
        if (cooling.Child("sizing") is not { } s)
        {
            return null;
        }

        string basis = s.Text("basis", "nameplate", "nameplate", "p99-load");
        // N, N+1, N+2 or N+3 spare units: the forms design teams write (Uptime Institute tiers ask N+1).
        string redundancy = s.Text("redundancy", "N+1", "N", "N+1", "N+2", "N+3");
        int spare = redundancy.Length switch
        {
            1 => 0,
            3 => redundancy[2] - '0',
            _ => -1,
        };

        double margin = s.Quantity("margin", Dimension.Fraction, 0.1, min: 0, max: 1);
        s.Done();
        return spare >= 0 && double.IsFinite(margin)
            ? new PlantSizingSpec(basis == "p99-load" ? SizingBasis.P99Load : SizingBasis.Nameplate, spare, margin)
            : null;
    }

    private static HybridChillerSpec WithHeatSink(HybridChillerSpec hybrid, string sink, double radiatorFanFraction)
    {
        var heatSink = sink switch { "radiator" => EngineHeatSink.Radiator, "recovery" => EngineHeatSink.Recovery, _ => EngineHeatSink.CondenserLoop };
        return hybrid with { Engine = hybrid.Engine with { CoolantSink = heatSink, RadiatorFanFraction = radiatorFanFraction } };
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Returns electric, engine-driven or hybrid specs; the analyzer sees only one.")]
    private static ChillerSpec? ReadChiller(MapReader c, ChillerCurveLibrary? library, int index, bool sized, out Func<double, ChillerSpec>? make)
    {
        make = null;
        string type = c.Text("type", "electric", "electric", "hybrid", "engine", "reformulated-eir");
        string name = c.Text("name", $"chiller-{index + 1}");
        string curve = c.Text("curve", ChillerCurveLibrary.YorkYs);
        double capacityW;
        if (sized)
        {
            // A nominal 1 MW unit until the rule has the hall's load: the curves are checked now, scaled later.
            capacityW = 1e6;
            if (c.Has("capacity"))
            {
                c.Error("capacity", "cooling.sizing sets every chiller's capacity: leave capacity out, or remove cooling.sizing");
                c.Accept("capacity");
            }
        }
        else
        {
            capacityW = c.Quantity("capacity", Dimension.Power, min: 1_000, max: 1e9);
        }

        string engine = c.Text("engine", ChillerCurveLibrary.BigChiller);
        double startDelayS = c.Quantity("engine_start_delay", Dimension.Time, 120, min: 0, max: 3600);
        double rampS = c.Quantity("engine_ramp", Dimension.Time, 300, min: 1, max: 7200);
        double minRunS = c.Quantity("min_run_time", Dimension.Time, 1800, min: 0, max: 86400);
        int maxStarts = (int)c.WholeNumber("max_starts_per_hour", 3, min: 1, max: 60);
        double parasitic = c.Quantity("gas_parasitic_fraction", Dimension.Fraction, 0.01, min: 0, max: 0.2);

        // The machine's lowest refrigerant lift (from its maker's data); by default ElectricChillerSpec.DefaultMinLiftK.
        double minLiftK = c.Has("min_lift") ? c.Quantity("min_lift", Dimension.TemperatureDifference, min: 0.5, max: 60) : double.NaN;

        // Where the engine's jacket and lube heat goes; a radiator's fan power per watt is the
        // designer's (no default: it depends on the unit chosen).
        string sink = c.Text("engine_heat", "condenser", "condenser", "radiator", "recovery");
        double radiatorFan = sink == "radiator" ? c.Quantity("radiator_fan_fraction", Dimension.Fraction, min: 0, max: 0.2) : 0;
        if (sink != "radiator")
        {
            c.Accept("radiator_fan_fraction");
        }

        if (type != "hybrid")
        {
            c.Accept("engine_start_delay", "engine_ramp", "min_run_time", "max_starts_per_hour", "gas_parasitic_fraction", "engine_heat");
        }

        c.Done();
        if (library is null || !double.IsFinite(capacityW))
        {
            return null;
        }

        ChillerSpec Make(double w)
        {
            switch (type)
            {
                case "engine":
                    return library.EngineDriven(engine, w) with { Name = name };
                case "reformulated-eir":
                    return library.Reformulated(curve, w).ScaledTo(w, name);
                case "hybrid":
                    var compressor = library.Electric(curve, w).ScaledTo(w, name) with { MinLiftK = minLiftK };
                    var hybrid = HybridChillerSpec.WithSizedEngine(name, compressor, parasitic, startDelayS, 1 / rampS, minRunS, maxStarts);
                    return WithHeatSink(hybrid, sink, radiatorFan);
                default:
                    return library.Electric(curve, w).ScaledTo(w, name) with { MinLiftK = minLiftK };
            }
        }

        try
        {
            var spec = Make(capacityW);
            make = Make;
            return spec;
        }
        catch (KeyNotFoundException)
        {
            string key = type is "electric" or "reformulated-eir" || !library.ElectricNames.Contains(curve) ? "curve" : "engine";
            c.Error(key, $"no chiller curve set \"{(key == "curve" ? curve : engine)}\" in assets/chillers; electric sets: {string.Join("; ", library.ElectricNames.Take(8))}, …");
            return null;
        }
    }
}
