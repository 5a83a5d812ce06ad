using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Cooling;

/// <summary>The chiller plant's design.</summary>
/// <param name="Chillers">Chillers in staging order (the first starts first).</param>
/// <param name="Tower">Cooling towers for the water-cooled condensers and the economiser.</param>
/// <param name="CondenserPumps">Condenser-water pumps; one unit's design flow per running chiller.</param>
/// <param name="Economizer">Waterside economiser, or null for none.</param>
/// <param name="StageUpPartLoadRatio">Start another chiller when the running ones would exceed this PLR.</param>
/// <param name="HybridPolicy">Policy for hybrid chillers in grid-responsive mode.</param>
/// <param name="AirCooledCondenserFanFraction">Condenser-fan power of air-cooled chillers per watt of heat rejected.</param>
public sealed record ChillerPlantSpec(
    IReadOnlyList<ChillerSpec> Chillers, CoolingTowerSpec Tower, PumpGroupSpec CondenserPumps,
    WatersideEconomizerSpec? Economizer = null, double StageUpPartLoadRatio = 0.9,
    IHybridModePolicy? HybridPolicy = null, double AirCooledCondenserFanFraction = 0.0)
{
    /// <summary>Whether the plant has a waterside economiser.</summary>
    public bool HasEconomizer => Economizer is not null;
}

/// <summary>
/// Chillers, towers, condenser pumps and the economiser. The economiser takes what the outdoor
/// wet-bulb allows; the chillers the rest, staged in order with equal part-load ratio; a tripped
/// chiller drops out and the others pick up, up to their capacity.
/// </summary>
public sealed class ChillerPlant
{
    // The abstract class, not the interface: each step reads a dozen outputs of every chiller, and
    // Chiller's are plain properties the JIT inlines, where IChiller's are interface calls.
    private readonly Chiller[] _chillers;
    // Whether each chiller rejects to air (a spec's condenser never changes): its condenser fluid is
    // the dry-bulb, and neither tower nor condenser pumps serve it.
    private readonly bool[] _airCooled;
    private double _gridHeadroomW = double.PositiveInfinity;
    private double _econCapacityW;
    private double _econEffectiveness;
    private double _econCMinWPerK;
    private readonly double _econRateWPerK;
    private readonly double _econUaWPerK;
    private double _returnC;

    /// <summary>Builds the plant from its specs.</summary>
    public ChillerPlant(ChillerPlantSpec spec)
    {
        Spec = spec;
        _chillers = new Chiller[spec.Chillers.Count];
        _airCooled = new bool[_chillers.Length];
        for (int i = 0; i < _chillers.Length; i++)
        {
            _airCooled[i] = spec.Chillers[i].Condenser == CondenserType.AirCooled;
            _chillers[i] = spec.Chillers[i] switch
            {
                ElectricChillerSpec e => new ElectricChiller(e),
                ReformulatedEirChillerSpec r => new ReformulatedEirChiller(r),
                EngineDrivenChillerSpec g => new EngineDrivenChiller(g),
                HybridChillerSpec h => new HybridChiller(h),
                var other => throw new ArgumentException($"Unknown chiller spec {other.GetType().Name}", nameof(spec)),
            };
        }

        Tower = new CoolingTower(spec.Tower, spec.CondenserPumps);
        CondenserPumps = new PumpGroup(spec.CondenserPumps);
        _econRateWPerK = spec.CondenserPumps.DesignFlowKgPerS * Coolant.Water.SpecificHeatJPerKgK;
        _econUaWPerK = spec.Economizer?.UaWPerK(_econRateWPerK) ?? 0;
    }

    /// <summary>Design values.</summary>
    public ChillerPlantSpec Spec { get; }

    /// <summary>The chillers, in staging order.</summary>
    public IReadOnlyList<IChiller> Chillers => _chillers;

    // The chillers as their class, for the twin's per-step reads without an interface call each.
    internal ReadOnlySpan<Chiller> ChillerUnits => _chillers;

    /// <summary>The towers.</summary>
    public CoolingTower Tower { get; }

    /// <summary>The condenser pumps.</summary>
    public PumpGroup CondenserPumps { get; }

    /// <summary>Whether electric drives can run (false in a grid outage not bridged by generators).</summary>
    public bool ElectricChillersAvailable { get; set; } = true;

    /// <summary>Cooling the plant can deliver this step (economiser and chillers), W.</summary>
    public double AvailableCapacityW { get; private set; }

    /// <summary>Cooling the economiser delivered, W.</summary>
    public double EconomizerCoolingW { get; private set; }

    /// <summary>Cooling delivered in total, W.</summary>
    public double CoolingW { get; private set; }

    /// <summary>Electric power: chillers, tower fans, condenser pumps, W.</summary>
    public double ElectricW { get; private set; }

    /// <summary>Fuel input (HHV), W.</summary>
    public double FuelW { get; private set; }

    /// <summary>Electric power an all-electric plant would draw for the same cooling, W.</summary>
    public double AllElectricEquivalentW { get; private set; }

    /// <summary>Heat rejected outdoors (towers, air-cooled condensers, engines), W.</summary>
    public double HeatRejectedW { get; private set; }

    /// <summary>Heat recovered from engines, W.</summary>
    public double HeatRecoveredW { get; private set; }

    /// <summary>Tower make-up water (evaporation, drift, blowdown), m³/s.</summary>
    public double WaterUseM3PerS { get; private set; }

    /// <summary>Economiser exchanger effectiveness at the last step's flows (0 without one).</summary>
    public double EconomizerEffectiveness => _econEffectiveness;

    /// <summary>Chillers running now.</summary>
    public int RunningChillers { get; private set; }

    /// <summary>Grid headroom last signalled, W (+∞ when none).</summary>
    public double GridHeadroomW => _gridHeadroomW;

    /// <summary>Tells grid-responsive hybrids how much interconnect headroom is left, W.</summary>
    public void SetGridSignal(double headroomW) => _gridHeadroomW = headroomW;

    /// <summary>Sets every hybrid chiller's mode.</summary>
    public void SetHybridMode(HybridMode mode)
    {
        foreach (var c in _chillers)
        {
            if (c is HybridChiller h)
            {
                h.Mode = mode;
            }
        }
    }

    /// <summary>Sets every hybrid chiller's split gas share (0..1) and puts it in split mode.</summary>
    public void SetGasShare(double share)
    {
        foreach (var c in _chillers)
        {
            if (c is HybridChiller h)
            {
                h.SplitGasShare = Math.Clamp(share, 0, 1);
                h.Mode = HybridMode.Split;
            }
        }
    }

    /// <summary>Advances drives and computes the capacity available this step.</summary>
    /// <param name="dtS">Step, s.</param>
    /// <param name="supplySetpointC">Facility supply (leaving chilled water) set point, °C.</param>
    /// <param name="returnC">Facility return entering the plant, °C.</param>
    /// <param name="flowCapacityRateWPerK">Facility flow times cp, W/K (bounds what the economiser can take).</param>
    /// <param name="weather">Outdoor air.</param>
    public double Prepare(double dtS, double supplySetpointC, double returnC, double flowCapacityRateWPerK, in WeatherConditions weather)
    {
        double wb = weather.WetBulbC;
        _returnC = returnC;
        // Condenser water the chillers get: the tower's approach-reset set point, or what full fan
        // speed reaches at the last range when that is warmer; never under the chillers' floor nor
        // under their own leaving chilled water (head-pressure control: no negative lift).
        double towerWater = Math.Max(Math.Max(Tower.LeavingWaterAt(wb), Tower.FullSpeedLeavingC(wb, Tower.LastRangeK)), supplySetpointC);
        if (Spec.HybridPolicy is { } policy)
        {
            foreach (var c in _chillers)
            {
                if (c is HybridChiller h && h.Mode == HybridMode.GridResponsive)
                {
                    double draw = h.AllElectricEquivalentW > 0 ? h.AllElectricEquivalentW : h.Spec.NominalCapacityW / h.Cop0();
                    h.PolicyGasShare = policy.GasShare(new HybridPolicyInput(_gridHeadroomW, h.GasShare, draw, ElectricChillersAvailable));
                }
            }
        }

        double capacity = 0;
        var chillers = _chillers;
        for (int i = 0; i < chillers.Length; i++)
        {
            var c = chillers[i];
            double cond = _airCooled[i] ? weather.DryBulbC : towerWater;
            c.Prepare(dtS, supplySetpointC, cond, ElectricChillersAvailable);
            capacity += c.AvailableCapacityW;
        }

        _econCapacityW = 0;
        _econEffectiveness = 0;
        if (Spec.Economizer is { } econ && flowCapacityRateWPerK > 0)
        {
            // ε–NTU at this step's flows; the tower water at full fan speed depends on the range the
            // economiser's own duty sets, so a few fixed-point passes (it settles in two or three).
            double cMin = Math.Min(flowCapacityRateWPerK, _econRateWPerK);
            _econCMinWPerK = cMin;
            _econEffectiveness = econ.Effectiveness(_econUaWPerK, flowCapacityRateWPerK, _econRateWPerK);
            double wanted = flowCapacityRateWPerK * Math.Max(0, returnC - supplySetpointC);
            double q = wanted;
            for (int i = 0; i < 4; i++)
            {
                double towerC = Math.Max(econ.MinTowerWaterC, Tower.FullSpeedLeavingC(wb, Math.Max(q, 1) / _econRateWPerK));
                double next = Math.Clamp(_econEffectiveness * cMin * (returnC - towerC), 0, Math.Max(wanted, 0));
                _econCapacityW = Math.Max(0, _econEffectiveness * cMin * (returnC - towerC));
                // A pass that gives back the duty it started from (held at the load, or at zero) has
                // reached its fixed point: the passes left would repeat it to the bit.
                if (next == q)
                {
                    break;
                }

                q = next;
            }
        }

        AvailableCapacityW = capacity + _econCapacityW;
        return AvailableCapacityW;
    }

    /// <summary>
    /// Delivers <paramref name="loadW"/> of cooling (the caller keeps it within
    /// <see cref="AvailableCapacityW"/>): economiser first (pre-cooling the return as far as tower
    /// water allows), then staged chillers with equal part-load ratio.
    /// </summary>
    public void Run(double loadW, in WeatherConditions weather)
    {
        double econ = Math.Clamp(loadW, 0, _econCapacityW);

        EconomizerCoolingW = econ;
        double rest = loadW - econ;
        if (StagingBlendBandRatio > 0 && rest > 0)
        {
            RunBlended(econ, rest, weather);
            return;
        }

        // Stage: the fewest chillers, in order, whose capacity keeps PLR at or under the stage-up ratio.
        int count = 0;
        double staged = 0;
        double all = 0;
        foreach (var c in _chillers)
        {
            all += c.AvailableCapacityW;
        }

        if (rest > 0)
        {
            foreach (var c in _chillers)
            {
                if (c.AvailableCapacityW <= 0)
                {
                    continue;
                }

                staged += c.AvailableCapacityW;
                count++;
                if (rest <= Spec.StageUpPartLoadRatio * staged)
                {
                    break;
                }
            }

            if (rest > Spec.StageUpPartLoadRatio * staged)
            {
                staged = all;
            }
        }

        RunStaged(econ, rest, staged, weather);
    }

    /// <summary>
    /// Width of a band of part-load ratio, centred on the stage-up ratio, over which the plant's
    /// outputs blend the N- and (N+1)-chiller solutions (a smoothstep in the PLR the N chillers
    /// would run at); 0, the default, stages crisply. Calibration's forward runs set it: a crisp
    /// stage-up moves a whole interval's chiller power by tens of kW when a parameter moves the
    /// crossing by one control step, which makes the likelihood terraced in the parameters. The
    /// plant totals (electric, fuel, heat rejected, water) are blended; each chiller's and the
    /// tower's own outputs are those of the (N+1)-chiller solution while inside the band.
    /// </summary>
    public double StagingBlendBandRatio { get; set; }

    // Smooth staging: the fewest chillers j whose stage-up weight is below one, blended with j + 1.
    // The weight rises from 0 to 1 as the PLR of j chillers crosses the band about the stage-up
    // ratio; with bands narrower than the gap between stage points (0.9 of one chiller against 0.45
    // of two), at most one pair blends at a time, so the blend is continuous in the load.
    private void RunBlended(double econ, double rest, in WeatherConditions weather)
    {
        double r = Spec.StageUpPartLoadRatio;
        double half = 0.5 * StagingBlendBandRatio;
        double staged = 0;
        double weight = 0;
        double next = 0;
        int available = 0;
        foreach (var c in _chillers)
        {
            if (c.AvailableCapacityW > 0)
            {
                available++;
            }
        }

        int seen = 0;
        foreach (var c in _chillers)
        {
            if (c.AvailableCapacityW <= 0)
            {
                continue;
            }

            seen++;
            staged += c.AvailableCapacityW;
            if (seen == available)
            {
                weight = 0;
                break;
            }

            double x = Math.Clamp(((rest / staged) - r + half) / (2 * half), 0, 1);
            weight = x * x * (3 - (2 * x));
            if (weight < 1)
            {
                // The next available chiller's capacity, for the (j + 1)-chiller solution.
                bool after = false;
                foreach (var d in _chillers)
                {
                    if (after && d.AvailableCapacityW > 0)
                    {
                        next = d.AvailableCapacityW;
                        break;
                    }

                    after |= ReferenceEquals(c, d);
                }

                break;
            }
        }

        if (weight <= 0)
        {
            RunStaged(econ, rest, staged, weather);
            return;
        }

        RunStaged(econ, rest, staged, weather);
        double cooling = CoolingW, fuel = FuelW, electric = ElectricW, allElectric = AllElectricEquivalentW;
        double rejected = HeatRejectedW, recovered = HeatRecoveredW, water = WaterUseM3PerS;
        RunStaged(econ, rest, staged + next, weather);
        double w = weight;
        CoolingW = ((1 - w) * cooling) + (w * CoolingW);
        FuelW = ((1 - w) * fuel) + (w * FuelW);
        ElectricW = ((1 - w) * electric) + (w * ElectricW);
        AllElectricEquivalentW = ((1 - w) * allElectric) + (w * AllElectricEquivalentW);
        HeatRejectedW = ((1 - w) * rejected) + (w * HeatRejectedW);
        HeatRecoveredW = ((1 - w) * recovered) + (w * HeatRecoveredW);
        WaterUseM3PerS = ((1 - w) * water) + (w * WaterUseM3PerS);
    }

    // One staging solution: the chillers in order share the load at equal part-load ratio until
    // their available capacity reaches the staged capacity; towers and condenser pumps follow.
    private void RunStaged(double econ, double rest, double staged, in WeatherConditions weather)
    {
        double cooling = econ;
        double electric = 0;
        double fuel = 0;
        double allElectric = 0;
        double condenserHeat = econ;
        double allElectricCondenserHeat = econ;
        double rejected = econ;
        double recovered = 0;
        int running = 0;
        int waterCooledRunning = 0;
        double seen = 0;
        var chillers = _chillers;
        for (int i = 0; i < chillers.Length; i++)
        {
            var c = chillers[i];
            bool airCooled = _airCooled[i];
            double share = 0;
            if (rest > 0 && c.AvailableCapacityW > 0 && seen < staged)
            {
                share = rest * c.AvailableCapacityW / staged;
                seen += c.AvailableCapacityW;
            }

            c.Run(share);
            if (c.CoolingW > 0)
            {
                running++;
                if (!airCooled)
                {
                    waterCooledRunning++;
                }
            }

            cooling += c.CoolingW;
            electric += c.ElectricW;
            fuel += c.FuelW;
            allElectric += c.AllElectricEquivalentW;
            recovered += c.HeatRecoveredW;
            rejected += c.HeatRejectedW;
            // The all-electric unit would send its cooling plus its electric input to the condenser
            // (no engine heat): its fans are counted on that, not on what the hybrid sends.
            double allElectricCondenser = c.CoolingW + c.AllElectricEquivalentW;
            double airFan = airCooled ? Spec.AirCooledCondenserFanFraction * c.CondenserHeatW : 0;
            electric += airFan;
            allElectric += airCooled ? Spec.AirCooledCondenserFanFraction * allElectricCondenser : 0;
            rejected += airFan;
            if (!airCooled)
            {
                condenserHeat += c.CondenserHeatW;
                allElectricCondenserHeat += allElectricCondenser;
            }
        }

        // One tower cell and one condenser-pump unit per running water-cooled chiller, and one for the
        // economiser's exchanger; an air-cooled plant runs neither.
        int cells = Math.Min(Tower.Cells, waterCooledRunning + (econ > 0 ? 1 : 0));
        double wb = weather.WetBulbC;
        double setpoint = Tower.LeavingWaterAt(wb);
        if (econ > 0 && Spec.Economizer is { } econSpec)
        {
            // Economising: the chillers' floor does not apply to the tower. Alone, the tower makes the
            // water the exchanger needs for this duty; with chillers trimming, as cold as it can.
            double towerNeeded = _econEffectiveness > 0 && _econCMinWPerK > 0
                ? _returnC - (econ / (_econEffectiveness * _econCMinWPerK)) : econSpec.MinTowerWaterC;
            setpoint = rest > 0 ? econSpec.MinTowerWaterC : Math.Max(econSpec.MinTowerWaterC, towerNeeded);
        }

        double fans = Tower.Run(condenserHeat, cells, wb, setpoint);
        double allElectricFans = Tower.FanPowerFor(allElectricCondenserHeat, cells, wb, setpoint);
        double pumps = 0;
        if (cells > 0)
        {
            CondenserPumps.Run(cells * Spec.CondenserPumps.DesignFlowKgPerS);
            pumps = CondenserPumps.PowerW;
        }
        else
        {
            CondenserPumps.Run(0);
        }

        // Fan and pump work ends up as heat in the tower water and air.
        rejected += fans + pumps;
        RunningChillers = running;
        CoolingW = cooling;
        FuelW = fuel;
        ElectricW = electric + fans + pumps;
        AllElectricEquivalentW = allElectric + allElectricFans + pumps;
        HeatRejectedW = rejected;
        HeatRecoveredW = recovered;
        WaterUseM3PerS = Tower.WaterUseM3PerS;
    }
}

/// <summary>Small helpers for hybrid chillers.</summary>
internal static class HybridChillerExtensions
{
    /// <summary>Rated COP of the unit's compressor (or 6 when unknown), for a draw estimate before it runs.</summary>
    public static double Cop0(this IChiller chiller) =>
        chiller.Spec is HybridChillerSpec h ? h.Compressor.RatedCop : 6.0;
}
