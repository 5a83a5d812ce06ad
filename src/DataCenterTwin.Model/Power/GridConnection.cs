namespace DataCenterTwin.Model.Power;

/// <summary>
/// The site's interconnect: a contracted capacity that a curtailment can lower for a while, and
/// an availability that an outage takes away. Meters the draw it carries.
/// </summary>
public sealed class GridConnection
{
    /// <summary>Creates a connection with its contracted capacity, W.</summary>
    public GridConnection(double capacityW)
    {
        ContractedCapacityW = capacityW;
        CapacityW = capacityW;
    }

    /// <summary>The contracted capacity, W.</summary>
    public double ContractedCapacityW { get; }

    /// <summary>The capacity in force now (lowered during a curtailment), W.</summary>
    public double CapacityW { get; private set; }

    /// <summary>What the grid can deliver now: the capacity in force, 0 in an outage, W.</summary>
    public double AvailableCapacityW => IsAvailable ? CapacityW : 0;

    /// <summary>Whether the grid is up.</summary>
    public bool IsAvailable { get; private set; } = true;

    /// <summary>The draw last metered, W.</summary>
    public double DrawW { get; private set; }

    /// <summary>The highest draw metered, W.</summary>
    public double PeakDrawW { get; private set; }

    /// <summary>Energy drawn since the start, J.</summary>
    public double EnergyJ { get; private set; }

    /// <summary>Seconds the draw exceeded the capacity in force.</summary>
    public double SecondsOverCapacity { get; private set; }

    /// <summary>Energy drawn above the capacity in force, J.</summary>
    public double EnergyOverCapacityJ { get; private set; }

    /// <summary>Headroom under the capacity in force at the last metering, W (negative when over).</summary>
    public double HeadroomW => CapacityW - DrawW;

    /// <summary>Sets the capacity in force (a curtailment), W; the contracted capacity when null.</summary>
    public void SetCapacity(double? capacityW) => CapacityW = capacityW ?? ContractedCapacityW;

    /// <summary>Loses or restores the grid.</summary>
    public void SetAvailable(bool available) => IsAvailable = available;

    /// <summary>Meters an interval's average draw.</summary>
    public void Meter(double drawW, double dtS)
    {
        DrawW = IsAvailable ? drawW : 0;
        PeakDrawW = Math.Max(PeakDrawW, DrawW);
        EnergyJ += DrawW * dtS;

        // A tolerance of a milliwatt per megawatt: a controller that holds the draw at the cap is not over it.
        if (DrawW > CapacityW * (1 + 1e-9))
        {
            SecondsOverCapacity += dtS;
            EnergyOverCapacityJ += (DrawW - CapacityW) * dtS;
        }
    }
}
