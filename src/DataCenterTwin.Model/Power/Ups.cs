namespace DataCenterTwin.Model.Power;

/// <summary>The battery of an uninterruptible power supply.</summary>
/// <param name="EnergyCapacityJ">Usable stored energy at full charge, J.</param>
/// <param name="MaxPowerW">Most power the inverter delivers, W.</param>
/// <param name="DischargeEfficiency">Energy delivered over energy drawn from the cells, 0–1.</param>
/// <param name="RechargePowerW">Power that recharges the cells when the grid is back, W.</param>
public sealed record UpsSpec(double EnergyCapacityJ, double MaxPowerW, double DischargeEfficiency, double RechargePowerW);

/// <summary>
/// A UPS battery: carries the load when neither grid nor generator does, until it runs out; then
/// recharges. Integrates its state of charge exactly over each interval (constant power).
/// </summary>
public sealed class Ups
{
    /// <summary>Creates a fully charged battery.</summary>
    public Ups(UpsSpec spec)
    {
        Spec = spec;
        StoredEnergyJ = spec.EnergyCapacityJ;
    }

    /// <summary>The battery's design values.</summary>
    public UpsSpec Spec { get; }

    /// <summary>Energy left in the cells, J.</summary>
    public double StoredEnergyJ { get; private set; }

    /// <summary>State of charge, 0–1.</summary>
    public double StateOfCharge => Spec.EnergyCapacityJ > 0 ? StoredEnergyJ / Spec.EnergyCapacityJ : 0;

    /// <summary>Energy delivered to the load since the start, J.</summary>
    public double EnergyDeliveredJ { get; private set; }

    /// <summary>Energy drawn from the grid to recharge since the start, J.</summary>
    public double RechargeEnergyJ { get; private set; }

    /// <summary>Times the battery ran empty while it was carrying load.</summary>
    public int Depletions { get; private set; }

    /// <summary>Seconds into the last interval at which the battery ran out, if it did; else NaN.</summary>
    public double LastDepletionOffsetS { get; private set; } = double.NaN;

    /// <summary>
    /// Carries <paramref name="loadW"/> for <paramref name="dtS"/> seconds as far as the battery
    /// lasts. Returns the energy it could not deliver (load dropped), J.
    /// </summary>
    public double Discharge(double loadW, double dtS)
    {
        LastDepletionOffsetS = double.NaN;
        if (loadW <= 0 || dtS <= 0)
        {
            return 0;
        }

        double deliverable = Math.Min(loadW, Spec.MaxPowerW);
        double drawW = deliverable / Spec.DischargeEfficiency;
        double lastsS = drawW > 0 ? StoredEnergyJ / drawW : double.PositiveInfinity;
        double carriedS = Math.Min(dtS, lastsS);
        StoredEnergyJ = Math.Max(0, StoredEnergyJ - drawW * carriedS);
        EnergyDeliveredJ += deliverable * carriedS;
        if (lastsS < dtS && StoredEnergyJ <= 0)
        {
            Depletions++;
            LastDepletionOffsetS = lastsS;
        }

        return loadW * dtS - deliverable * carriedS;
    }

    /// <summary>Recharges for an interval on grid or generator power; returns the power drawn, W (average).</summary>
    /// <param name="dtS">The interval, s.</param>
    /// <param name="maxPowerW">The most the site can spare for recharging (grid headroom), W.</param>
    public double Recharge(double dtS, double maxPowerW = double.PositiveInfinity)
    {
        double room = Spec.EnergyCapacityJ - StoredEnergyJ;
        if (room <= 0 || dtS <= 0 || maxPowerW <= 0)
        {
            return 0;
        }

        double energy = Math.Min(room, Math.Min(Spec.RechargePowerW, maxPowerW) * dtS);
        StoredEnergyJ += energy;
        RechargeEnergyJ += energy;
        return energy / dtS;
    }
}
