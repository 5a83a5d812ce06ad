namespace DataCenterTwin.Model.Cooling;

/// <summary>A coolant distribution unit: secondary loop, its pumps, and a plate exchanger to facility water.</summary>
/// <param name="Name">Unit name.</param>
/// <param name="Effectiveness">Exchanger effectiveness on the secondary (C_min) side, 0..1.</param>
/// <param name="SecondaryLoop">The cold-plate loop it serves.</param>
/// <param name="Pumps">Secondary pumps (their design flow sums to the loop's design flow).</param>
public sealed record CduSpec(string Name, double Effectiveness, CoolantLoopSpec SecondaryLoop, PumpGroupSpec Pumps)
{
    /// <summary>
    /// Cold-plate temperature rise the secondary pumps hold, K: flow follows the heat at this rise
    /// (variable speed), never under the pumps' minimum speed nor over the design flow; NaN runs the
    /// design flow constantly.
    /// </summary>
    public double DesignDeltaK { get; init; } = double.NaN;

    /// <summary>Secondary flow the unit asks for a heat load, kg/s.</summary>
    public double FlowFor(double heatW)
    {
        double design = SecondaryLoop.DesignFlowKgPerS;
        return double.IsNaN(DesignDeltaK) ? design
            : Math.Clamp(heatW / (SecondaryLoop.Coolant.SpecificHeatJPerKgK * DesignDeltaK), Pumps.MinSpeedFraction * design, design);
    }
}

/// <summary>A CDU in operation. A tripped CDU stops its pumps and its exchanger: the secondary loop then only stores heat.</summary>
public sealed class Cdu
{
    /// <summary>Creates the unit, in service.</summary>
    public Cdu(CduSpec spec)
    {
        Spec = spec;
        Loop = new CoolantLoop(spec.SecondaryLoop);
        Pumps = new PumpGroup(spec.Pumps);
    }

    /// <summary>Design values.</summary>
    public CduSpec Spec { get; }

    /// <summary>The secondary loop.</summary>
    public CoolantLoop Loop { get; }

    /// <summary>The secondary pumps.</summary>
    public PumpGroup Pumps { get; }

    /// <summary>Whether the unit is tripped.</summary>
    public bool IsTripped { get; private set; }

    /// <summary>Heat from the cold plates, W.</summary>
    public double HeatInW { get; private set; }

    /// <summary>Heat passed to facility water, W (mean over the step).</summary>
    public double HeatToFacilityW { get; private set; }

    /// <summary>Coolant supplied to the cold plates, °C.</summary>
    public double SupplyTempC { get; private set; }

    /// <summary>Coolant returning from the cold plates (the loop's mixed temperature), °C.</summary>
    public double ReturnTempC => Loop.TemperatureC;

    /// <summary>Secondary flow now, kg/s.</summary>
    public double FlowKgPerS => Pumps.FlowKgPerS;

    /// <summary>Takes the unit out of service.</summary>
    public void Trip() => IsTripped = true;

    /// <summary>Returns it to service.</summary>
    public void Restore() => IsTripped = false;

    /// <summary>Advances the secondary loop against facility water at <paramref name="facilitySupplyC"/>; returns heat to facility water, W.</summary>
    public double Advance(double dtS, double heatInW, double facilitySupplyC)
    {
        HeatInW = heatInW;
        double flow = IsTripped ? Pumps.Run(0) : Pumps.Run(Spec.FlowFor(heatInW));
        double capacityRate = flow * Spec.SecondaryLoop.Coolant.SpecificHeatJPerKgK;
        double g = Spec.Effectiveness * capacityRate;
        HeatToFacilityW = Loop.Advance(dtS, heatInW, facilitySupplyC, g);
        SupplyTempC = capacityRate > 0 ? Loop.TemperatureC - (HeatToFacilityW / capacityRate) : Loop.TemperatureC;
        return HeatToFacilityW;
    }
}
