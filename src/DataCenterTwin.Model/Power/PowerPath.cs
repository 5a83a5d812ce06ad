namespace DataCenterTwin.Model.Power;

/// <summary>
/// The facility's electrical path and meter: IT load through the PDUs and the UPS, mechanical
/// (cooling) load and other loads (lighting, offices) straight from the switchgear.
/// Facility power = IT + its distribution losses + cooling + other.
/// </summary>
public sealed class PowerPath
{
    private readonly DistributionLossSpec _ups;
    private readonly DistributionLossSpec _pdu;

    /// <summary>Creates the path from its two loss stages and the other load.</summary>
    /// <param name="ups">The UPS stage (carries the PDU input).</param>
    /// <param name="pdu">The PDU/transformer stage (carries the IT load).</param>
    /// <param name="otherFixedW">Lighting, offices, security: a fixed load, W.</param>
    /// <param name="otherFractionOfIt">Other load proportional to IT (ancillary systems), 0–1.</param>
    public PowerPath(DistributionLossSpec ups, DistributionLossSpec pdu, double otherFixedW, double otherFractionOfIt)
    {
        _ups = ups;
        _pdu = pdu;
        OtherFixedW = otherFixedW;
        OtherFractionOfIt = otherFractionOfIt;
    }

    /// <summary>Lighting and other fixed load, W.</summary>
    public double OtherFixedW { get; }

    /// <summary>Other load proportional to IT, 0–1.</summary>
    public double OtherFractionOfIt { get; }

    /// <summary>IT load last metered, W.</summary>
    public double ItPowerW { get; private set; }

    /// <summary>UPS and PDU losses last metered, W.</summary>
    public double DistributionLossW { get; private set; }

    /// <summary>Cooling electric load last metered, W.</summary>
    public double CoolingPowerW { get; private set; }

    /// <summary>Other facility load last metered, W.</summary>
    public double OtherPowerW { get; private set; }

    /// <summary>Facility electric load: IT + losses + cooling + other, W.</summary>
    public double FacilityPowerW => ItPowerW + DistributionLossW + CoolingPowerW + OtherPowerW;

    /// <summary>Power usage effectiveness of the last metering: facility over IT (1 when IT is 0).</summary>
    public double Pue => ItPowerW > 0 ? FacilityPowerW / ItPowerW : 1.0;

    /// <summary>The losses that feeding <paramref name="itPowerW"/> through the PDUs and the UPS costs, W.</summary>
    public double LossesFor(double itPowerW)
    {
        double pduLoss = _pdu.LossW(itPowerW);
        return pduLoss + _ups.LossW(itPowerW + pduLoss);
    }

    /// <summary>The other load at an IT load, W.</summary>
    public double OtherFor(double itPowerW) => OtherFixedW + OtherFractionOfIt * itPowerW;

    /// <summary>Meters one interval's average loads.</summary>
    public void Meter(double itPowerW, double coolingPowerW) => Meter(itPowerW, coolingPowerW, LossesFor(itPowerW));

    /// <summary>
    /// Meters one interval's average loads with the losses <see cref="LossesFor"/> already gave for
    /// <paramref name="itPowerW"/> (the twin works them once a step, for the cooling model and the meter).
    /// </summary>
    public void Meter(double itPowerW, double coolingPowerW, double distributionLossW)
    {
        ItPowerW = itPowerW;
        DistributionLossW = distributionLossW;
        CoolingPowerW = coolingPowerW;
        OtherPowerW = OtherFor(itPowerW);
    }
}
