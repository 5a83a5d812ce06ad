using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Cooling;

/// <summary>The air side and the warm-water loop of the cooling system.</summary>
public sealed partial class CoolingSystem
{
    /// <summary>The warm-water loop of the direct-to-chip racks, or null when the CDUs run on facility water.</summary>
    public WarmWaterLoop? WarmLoop { get; }

    /// <summary>Air through each rack at the last step, m³/s (its server fans).</summary>
    public ReadOnlySpan<double> RackAirflowM3PerS => _rackAirflow;

    /// <summary>Air drawn through all racks at the last step, m³/s.</summary>
    public double RackAirflowTotalM3PerS { get; private set; }

    /// <summary>Air the CRAHs supplied at the last step, m³/s (the racks' airflow net of recirculation, within their design airflow).</summary>
    public double CrahAirflowM3PerS { get; private set; }

    /// <summary>Share of the racks' intake that was recirculated exhaust at the last step (the design recirculation, more when the CRAHs fall short of air).</summary>
    public double RecirculationFraction { get; private set; }

    /// <summary>Hall air returning to the CRAH coils at the last step, °C.</summary>
    public double ReturnAirC { get; private set; }

    /// <summary>Heat held in the hall air above its state at the supply set point, J (when the coils fall short).</summary>
    public double RoomAirStoredHeatJ => _roomStoredJ;

    /// <summary>Heat capacity of the hall air, J/K.</summary>
    public double RoomAirHeatCapacityJPerK => _roomHeatCapacityJPerK;

    /// <summary>Server fan power above what the fans draw below their inlet ramp, W (heat in the hall air, and electricity the air path costs).</summary>
    public double ServerFanExtraPowerW { get; private set; }

    /// <summary>Dry-cooler fan power at the last step, W.</summary>
    public double DryCoolerFanPowerW { get; private set; }

    /// <summary>Heat generated in the building at the last step (IT, CRAH and extra server fan power, pumps, electrical losses), W.</summary>
    public double HeatGeneratedW { get; private set; }

    /// <summary>Server fan energy above what the fans draw below their inlet ramp, since the start, J (the air path's cost of warm inlets).</summary>
    public double ServerFanExtraJ { get; private set; }

    /// <summary>Dry-cooler fan energy since the start, J.</summary>
    public double DryCoolerFanJ { get; private set; }

    /// <summary>Heat the dry cooler rejected outdoors since the start, J (without its fans' own heat).</summary>
    public double DryCoolerHeatJ { get; private set; }

    /// <summary>Simulated seconds the warm-water loop ran without the chillers (its dry cooler alone held it).</summary>
    public double ChillerlessSeconds { get; private set; }

    // Per CRAH, its design airflow, lowest fan speed, design fan power and coil rating per kelvin,
    // read from its spec once (AirStep goes over them every step): fixed when the system is built.
    [NotState]
    private readonly double[] _crahDesignAirflowM3PerS;
    [NotState]
    private readonly double[] _crahMinAirflowFraction;
    [NotState]
    private readonly double[] _crahDesignFanPowerW;
    [NotState]
    private readonly double[] _crahCapacityPerKelvinWPerK;

    // Per-rack share of the hall's recirculation by its place in the layout (mean 1); null: the same everywhere.
    private double[]? _recirculationWeight;

    /// <summary>Each rack's weight on the hall's recirculation fraction at its inlet (mean 1; all 1 until set).</summary>
    public double RecirculationWeight(int rack) => _recirculationWeight is { } w ? w[rack] : 1;

    /// <summary>
    /// Shares the hall's recirculation out over the racks by their place in the layout
    /// (<see cref="Topology.RecirculationIndex"/>): rack i's inlet sees weight[i] times the hall's
    /// recirculated share of its exhaust rise, never more than all of it. Set once, when the twin is built.
    /// </summary>
    /// <exception cref="ArgumentException">Not one non-negative weight per rack.</exception>
    public void SetRecirculationWeights(ReadOnlySpan<double> weights)
    {
        if (weights.Length != _racks.Length)
        {
            throw new ArgumentException($"Expected {_racks.Length} recirculation weights, got {weights.Length}.", nameof(weights));
        }

        foreach (double w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException($"A recirculation weight must be a non-negative number, got {w}.", nameof(weights));
            }
        }

        _recirculationWeight = weights.ToArray();
    }

    // The CRAHs supply the racks' airflow net of the design recirculation, shared over the running
    // units in proportion to their design airflow; what they cannot supply the racks draw from the hot
    // aisle. Fan power by the affinity law at that airflow. The coils cool the hall air within their
    // capacity at the water and return-air temperatures; a shortfall stays in the hall air (a lumped
    // heat capacity) and raises the supply air, and with it the coils' capacity, until they catch up.
    private double AirStep(double dtS, double airHeatW, double rackFlowM3PerS, double serverFanExtraW, out double fanW, out double recirculation)
    {
        var air = Spec.Air;
        var tripped = _crahTripped;
        var designAirflow = _crahDesignAirflowM3PerS;
        var minFraction = _crahMinAirflowFraction;
        var designFanW = _crahDesignFanPowerW;
        var perKelvin = _crahCapacityPerKelvinWPerK;
        double available = 0;
        for (int k = 0; k < tripped.Length; k++)
        {
            available += tripped[k] ? 0 : designAirflow[k];
        }

        double supplied = Math.Min((1 - air.RecirculationFraction) * rackFlowM3PerS, available);
        recirculation = rackFlowM3PerS > 0 ? 1 - (supplied / rackFlowM3PerS) : air.RecirculationFraction;
        double fraction = available > 0 ? supplied / available : 0;
        fanW = 0;
        double moved = 0;
        for (int k = 0; k < tripped.Length; k++)
        {
            if (!tripped[k])
            {
                // CrahSpec.FanPowerAtAirflowW, on its values read once.
                fanW += AffinityLaws.Power(designFanW[k], Math.Clamp(fraction, minFraction[k], 1));
                moved += Math.Max(fraction, minFraction[k]) * designAirflow[k];
            }
        }

        double roomInW = airHeatW + fanW + serverFanExtraW;
        double riseK = moved > 0 ? roomInW / (AirPathSpec.AirVolumetricHeatCapacity * moved) : 0;

        // Coil duty = K·(return air − water), K the running coils' rating per kelvin; return air =
        // supply air + the rise, supply air = set point + E/C with E the heat held in the hall air. So
        // dE/dt = Q_in − K·(b + E/C), b = set point + rise − water: first order in E,
        // integrated exactly (stable for any step, however small the hall's air), never below E = 0
        // (the coils then hold the set point).
        double conductance = 0;
        for (int k = 0; k < tripped.Length; k++)
        {
            conductance += tripped[k] ? 0 : perKelvin[k];
        }

        double c = _roomHeatCapacityJPerK;
        double b = SupplyAirSetpointC + riseK - _facilitySupplyC;
        double before = _roomStoredJ;
        double after = before;
        double left = dtS;
        if (conductance <= 0 || b + (before / c) < 0)
        {
            // No coil, or water no colder than the air: the hall air takes it all until it is warm
            // enough for the coils (if it gets there this step).
            double untilS = conductance > 0 && roomInW > 0 ? ((-b * c) - before) / roomInW : double.PositiveInfinity;
            double warmS = Math.Min(left, untilS);
            after += roomInW * warmS;
            left -= warmS;
        }

        if (left > 0)
        {
            double steady = c * ((roomInW / conductance) - b);
            after = Math.Max(0, steady + ((after - steady) * Math.Exp(-left * conductance / c)));
        }

        _roomStoredJ = after;
        double coilW = roomInW - ((after - before) / dtS);
        double returnAirC = SupplyAirSetpointC + (after / c) + riseK;
        var load = _crahLoadW;
        for (int k = 0; k < tripped.Length; k++)
        {
            load[k] = tripped[k] || conductance <= 0 ? 0 : coilW * perKelvin[k] / conductance;
        }

        SupplyAirC = SupplyAirSetpointC + (_roomStoredJ / _roomHeatCapacityJPerK);
        ReturnAirC = returnAirC;
        RackAirflowTotalM3PerS = rackFlowM3PerS;
        CrahAirflowM3PerS = supplied;
        RecirculationFraction = recirculation;
        return coilW;
    }
}
