using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Cooling;

/// <summary>A coolant loop's design values.</summary>
/// <param name="Name">Loop name.</param>
/// <param name="Coolant">The liquid.</param>
/// <param name="MassKg">Liquid (and wetted metal as water-equivalent) in the loop, kg.</param>
/// <param name="DesignFlowKgPerS">Mass flow the pumps hold, kg/s.</param>
/// <param name="InitialTempC">Mixed loop temperature at the start, °C.</param>
public sealed record CoolantLoopSpec(string Name, Coolant Coolant, double MassKg, double DesignFlowKgPerS, double InitialTempC)
{
    /// <summary>Heat capacity of the loop, J/K.</summary>
    public double HeatCapacityJPerK => MassKg * Coolant.SpecificHeatJPerKgK;

    /// <summary>Capacity rate of the design flow, W/K.</summary>
    public double FlowCapacityRateWPerK => DesignFlowKgPerS * Coolant.SpecificHeatJPerKgK;
}

/// <summary>
/// A lumped, well-mixed coolant loop: C·dT/dt = Q − G·(T − T_ref), where heat Q enters and a flow
/// or exchanger of conductance G carries heat to a reference temperature. Integrated exactly over a
/// step (constant inputs), so the stored-heat ledger closes to rounding.
/// </summary>
public sealed class CoolantLoop
{
    /// <summary>Creates the loop at its initial temperature.</summary>
    public CoolantLoop(CoolantLoopSpec spec)
    {
        Spec = spec;
        TemperatureC = spec.InitialTempC;
    }

    // The decay of the last step and the time constant and step it was worked for: a function of
    // them alone, so a cache, not state.
    [NotState]
    private double _decayTauS = double.NaN, _decayDtS = double.NaN, _decay;

    /// <summary>Design values.</summary>
    public CoolantLoopSpec Spec { get; }

    /// <summary>Mixed (return) temperature, °C.</summary>
    public double TemperatureC { get; private set; }

    /// <summary>Heat stored above the initial temperature, J.</summary>
    public double StoredHeatJ => Spec.HeatCapacityJPerK * (TemperatureC - Spec.InitialTempC);

    /// <summary>Heat carried out over the last step (mean), W.</summary>
    public double HeatOutW { get; private set; }

    /// <summary>
    /// Advances the loop by <paramref name="dtS"/> with heat in <paramref name="heatInW"/> and heat out
    /// <c>G·(T − T_ref)</c>; returns the mean heat carried out over the step, W (= Q − C·ΔT/dt exactly).
    /// </summary>
    public double Advance(double dtS, double heatInW, double referenceTempC, double conductanceWPerK)
    {
        double c = Spec.HeatCapacityJPerK;
        double before = TemperatureC;
        if (conductanceWPerK > 0)
        {
            double target = referenceTempC + (heatInW / conductanceWPerK);
            // FirstOrder.Exact with its decay kept while the time constant and step do not change
            // (a loop at steady flow).
            double tauS = c / conductanceWPerK;
            if (tauS <= 0)
            {
                TemperatureC = target;
            }
            else
            {
                if (tauS != _decayTauS || dtS != _decayDtS)
                {
                    _decay = FirstOrder.Decay(tauS, dtS);
                    _decayTauS = tauS;
                    _decayDtS = dtS;
                }

                TemperatureC = FirstOrder.Toward(before, target, _decay);
            }
        }
        else
        {
            TemperatureC = before + (heatInW * dtS / c);
        }

        HeatOutW = heatInW - (c * (TemperatureC - before) / dtS);
        return HeatOutW;
    }

    /// <summary>
    /// Like <see cref="Advance"/>, but the heat carried out cannot exceed <paramref name="maxHeatOutW"/>
    /// (a capacity-limited plant): when it would, the loop removes exactly that and warms linearly.
    /// </summary>
    public double AdvanceCapped(double dtS, double heatInW, double referenceTempC, double conductanceWPerK, double maxHeatOutW)
    {
        double before = TemperatureC;
        double outW = Advance(dtS, heatInW, referenceTempC, conductanceWPerK);
        if (outW <= maxHeatOutW)
        {
            return outW;
        }

        TemperatureC = before;
        return AdvanceWithRemoval(dtS, heatInW, Math.Max(0, maxHeatOutW));
    }

    /// <summary>
    /// Advances the loop with a fixed heat removal (a capacity-limited plant): the temperature moves
    /// linearly; returns the heat carried out, W.
    /// </summary>
    public double AdvanceWithRemoval(double dtS, double heatInW, double heatOutW)
    {
        TemperatureC += (heatInW - heatOutW) * dtS / Spec.HeatCapacityJPerK;
        HeatOutW = heatOutW;
        return heatOutW;
    }
}
