using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Cooling;

/// <summary>A cooling-tower cell group (one cell per condenser-water pump).</summary>
/// <param name="DesignHeatRejectionW">Heat all cells reject at design, W.</param>
/// <param name="DesignApproachK">Leaving water above outdoor wet-bulb at design (full fan speed, design wet-bulb and range), K.</param>
/// <param name="DesignFanPowerW">Fan power of all cells at design air flow, W.</param>
/// <param name="MinCondenserWaterC">Lowest condenser water the chillers take (their curves' floor), °C; the tower's set point never goes below it while chillers run.</param>
public sealed record CoolingTowerSpec(double DesignHeatRejectionW, double DesignApproachK, double DesignFanPowerW, double MinCondenserWaterC = 12.78)
{
    /// <summary>Design inlet wet-bulb, °C: YorkCalc's reference condition, 25.6 °C (78 °F), EnergyPlus Engineering Reference.</summary>
    public double DesignWetBulbC { get; init; } = 25.6;

    /// <summary>Lowest fan air-flow ratio (EnergyPlus CoolingTower:VariableSpeed default 0.2); below it the fans cycle.</summary>
    public double MinAirFlowRatio { get; init; } = 0.2;

    /// <summary>Air-flow ratio of free convection with the fans off (EnergyPlus default fraction of capacity 0.125).</summary>
    public double FreeConvectionFraction { get; init; } = 0.125;

    /// <summary>Evaporation per kelvin of range, fraction of the water flow per K (EnergyPlus "Evaporation Loss Factor" default 0.2 %/K).</summary>
    public double EvaporationLossPerK { get; init; } = 0.002;

    /// <summary>Drift, fraction of the design water flow at full air flow (EnergyPlus "Drift Loss Percent" default 0.008 %).</summary>
    public double DriftLossFraction { get; init; } = 0.00008;

    /// <summary>Cycles of concentration: blowdown = evaporation / (C − 1) − drift (EnergyPlus "Blowdown Concentration Ratio" default 3).</summary>
    public double ConcentrationRatio { get; init; } = 3;
}

/// <summary>
/// A variable-speed cooling tower on the YorkCalc correlation, as EnergyPlus's
/// <c>CoolingTower:VariableSpeed</c>: one cell per running condenser pump, each at its design water
/// flow; the approach follows wet-bulb, range and the liquid-to-gas ratio; the fans turn at the air
/// flow that holds the set point (or full speed when it cannot), cycle below the minimum speed, and
/// draw design power times the cube of the air-flow ratio. Water use (evaporation, drift, blowdown)
/// by EnergyPlus's loss-factor method. No allocation per step.
/// </summary>
public sealed class CoolingTower
{
    private readonly double _cellFlowKgPerS;
    private readonly double _cellFanW;
    private readonly double _cp;
    private readonly double _densityKgPerM3;

    // The last bisection's inputs and air-flow ratio (Solve): a function of them and the spec
    // alone, so a cache, not state.
    [NotState]
    private bool _lastSolveValid;
    [NotState]
    private double _lastHeatW, _lastWetBulbC, _lastSetpointC, _lastAir;
    [NotState]
    private int _lastCells;

    /// <summary>Creates the tower; its cells and their design water flow come from the condenser pumps.</summary>
    public CoolingTower(CoolingTowerSpec spec, PumpGroupSpec condenserPumps)
    {
        Spec = spec;
        Cells = Math.Max(1, condenserPumps.Count);
        _cellFlowKgPerS = condenserPumps.DesignFlowKgPerS;
        _cellFanW = spec.DesignFanPowerW / Cells;
        _cp = Coolant.Water.SpecificHeatJPerKgK;
        _densityKgPerM3 = Coolant.Water.DensityKgPerM3;
        DesignRangeK = spec.DesignHeatRejectionW / Cells / (_cellFlowKgPerS * _cp);
        WaterFlowRatio = Math.Clamp(YorkCalc.ReferenceWaterFlowRatio(spec.DesignWetBulbC, DesignRangeK, spec.DesignApproachK),
            YorkCalc.MinWaterFlowRatio, YorkCalc.MaxWaterFlowRatio);
        LastRangeK = DesignRangeK;
    }

    /// <summary>Design values.</summary>
    public CoolingTowerSpec Spec { get; }

    /// <summary>Cells (one per condenser pump).</summary>
    public int Cells { get; }

    /// <summary>Range of a cell at its design heat and water flow, K.</summary>
    public double DesignRangeK { get; }

    /// <summary>A cell's design water flow over YorkCalc's reference flow (calibrated to the design approach), in the correlation's limits.</summary>
    public double WaterFlowRatio { get; }

    /// <summary>Leaving water temperature at the last step, °C.</summary>
    public double LeavingWaterC { get; private set; }

    /// <summary>Fan power at the last step, W.</summary>
    public double FanPowerW { get; private set; }

    /// <summary>Fan air-flow ratio at the last step (time-averaged when cycling).</summary>
    public double AirFlowRatio { get; private set; }

    /// <summary>Cells with water flowing at the last step.</summary>
    public int CellsOn { get; private set; }

    /// <summary>Leaving-water set point at the last step, °C.</summary>
    public double SetpointC { get; private set; }

    /// <summary>Heat rejected at the last step, W.</summary>
    public double HeatRejectedW { get; private set; }

    /// <summary>Range at the last step with water flowing (design range before), K.</summary>
    public double LastRangeK { get; private set; }

    /// <summary>Make-up water (evaporation + drift + blowdown) at the last step, m³/s.</summary>
    public double WaterUseM3PerS { get; private set; }

    /// <summary>Leaving water temperature the approach-reset set point asks at a wet-bulb: design approach above it, never under the chillers' floor, °C.</summary>
    public double LeavingWaterAt(double wetBulbC) => Math.Max(Spec.MinCondenserWaterC, wetBulbC + Spec.DesignApproachK);

    /// <summary>Leaving water at full fan speed for a range, °C (what the tower can do at best).</summary>
    public double FullSpeedLeavingC(double wetBulbC, double rangeK) => wetBulbC + YorkCalc.ApproachK(wetBulbC, rangeK, WaterFlowRatio);

    /// <summary>Fan power the tower would need to reject a heat load at a set point, W (no state change: the all-electric comparison).</summary>
    public double FanPowerFor(double heatW, int cellsOn, double wetBulbC, double setpointC) =>
        Solve(heatW, cellsOn, wetBulbC, setpointC).FanW;

    /// <summary>Sets the operating point: <paramref name="heatW"/> over <paramref name="cellsOn"/> cells at design water flow, holding <paramref name="setpointC"/> when it can; returns the fan power, W.</summary>
    public double Run(double heatW, int cellsOn, double wetBulbC, double setpointC)
    {
        var (fanW, leavingC, airRatio, rangeK) = Solve(heatW, cellsOn, wetBulbC, setpointC);
        HeatRejectedW = Math.Max(0, heatW);
        CellsOn = Math.Clamp(cellsOn, 0, Cells);
        SetpointC = setpointC;
        FanPowerW = fanW;
        LeavingWaterC = leavingC;
        AirFlowRatio = airRatio;
        int n = Math.Clamp(cellsOn, 0, Cells);
        if (n > 0 && heatW > 0)
        {
            LastRangeK = rangeK;
            double flowM3PerS = n * _cellFlowKgPerS / _densityKgPerM3;
            // EnergyPlus Engineering Reference, cooling tower make-up water: evaporation by the loss
            // factor, drift with the air flow, blowdown to hold the cycles of concentration.
            double evap = Spec.EvaporationLossPerK * rangeK * flowM3PerS;
            double drift = Spec.DriftLossFraction * flowM3PerS * airRatio;
            double blowdown = Math.Max(0, (evap / (Spec.ConcentrationRatio - 1)) - drift);
            WaterUseM3PerS = evap + drift + blowdown;
        }
        else
        {
            WaterUseM3PerS = 0;
        }

        return fanW;
    }

    // EnergyPlus CoolingTower:VariableSpeed control sequence: full speed if even that misses the set
    // point; fans off if free convection holds it; cycling at minimum speed between; otherwise the
    // air-flow ratio whose approach holds the set point (bisection: approach falls as air flow rises).
    private (double FanW, double LeavingC, double AirRatio, double RangeK) Solve(double heatW, int cellsOn, double wetBulbC, double setpointC)
    {
        int n = Math.Clamp(cellsOn, 0, Cells);
        if (n == 0 || heatW <= 0)
        {
            return (0, LeavingWaterAt(wetBulbC), 0, LastRangeK);
        }

        double range = heatW / n / (_cellFlowKgPerS * _cp);

        // A plant asks for the same solution again (its fans and its all-electric equivalent's
        // often carry one heat): the last bisection's inputs lead down the same branches to it.
        if (_lastSolveValid && heatW == _lastHeatW && n == _lastCells
            && wetBulbC == _lastWetBulbC && setpointC == _lastSetpointC)
        {
            return (n * _cellFanW * _lastAir * _lastAir * _lastAir, setpointC, _lastAir, range);
        }

        // YorkCalc with the wet-bulb and range terms worked once: the same bits for every L/G below.
        var approach = new YorkCalc.AtWetBulbAndRange(wetBulbC, range);
        double needK = setpointC - wetBulbC;
        double full = approach.At(WaterFlowRatio);
        if (full >= needK)
        {
            return (n * _cellFanW, wetBulbC + full, 1, range);
        }

        double min = Spec.MinAirFlowRatio;
        double atMin = approach.At(Math.Min(WaterFlowRatio / min, YorkCalc.MaxLiquidToGasRatio));
        if (atMin <= needK)
        {
            double off = approach.At(Math.Min(WaterFlowRatio / Spec.FreeConvectionFraction, YorkCalc.MaxLiquidToGasRatio));
            if (off <= needK)
            {
                return (0, setpointC, 0, range);
            }

            // Fan part-load ratio: the share of time at minimum speed that averages the set point.
            double plr = Math.Clamp((off - needK) / (off - atMin), 0, 1);
            return (n * _cellFanW * min * min * min * plr, setpointC, min * plr, range);
        }

        // Air ratios at or under `below` hold the approach above the need, at or over `above` under it
        // (proven from the quadratic in L/G, below); only between them is the approach worked.
        var (below, above) = approach.SidesOfRoot(WaterFlowRatio, min, needK);
        double lo = min, hi = 1;
        for (int i = 0; i < 40; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= below)
            {
                lo = mid;
            }
            else if (mid >= above)
            {
                hi = mid;
            }
            else if (approach.Above(WaterFlowRatio / mid, needK))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        double air = 0.5 * (lo + hi);
        _lastSolveValid = true;
        _lastHeatW = heatW;
        _lastCells = n;
        _lastWetBulbC = wetBulbC;
        _lastSetpointC = setpointC;
        _lastAir = air;
        return (n * _cellFanW * air * air * air, setpointC, air, range);
    }
}
