namespace DataCenterTwin.Model.Power;

/// <summary>
/// Losses of one stage of the power path (UPS, PDU/transformer) as a quadratic in its load:
/// loss = rated × (no-load + proportional · x + square · x²), x = load / rated. The loss model
/// of Rasmussen, "Electrical Efficiency Modeling for Data Centers" (APC White Paper 113).
/// </summary>
/// <param name="Name">The stage, for reports.</param>
/// <param name="RatedPowerW">Rated output power, W.</param>
/// <param name="NoLoadFraction">Loss at no load as a fraction of rating (fans, control, magnetising).</param>
/// <param name="ProportionalFraction">Loss proportional to load, as a fraction of rating at full load.</param>
/// <param name="SquareFraction">Loss growing with the square of load (I²R), as a fraction of rating at full load.</param>
public sealed record DistributionLossSpec(string Name, double RatedPowerW, double NoLoadFraction, double ProportionalFraction, double SquareFraction)
{
    /// <summary>A modern double-conversion UPS: about 96% efficient at half load, 96.6% at full load.</summary>
    public static DistributionLossSpec DefaultUps(double ratedPowerW) => new("ups", ratedPowerW, 0.010, 0.020, 0.005);

    /// <summary>PDUs and transformers: about 98.5% at full load.</summary>
    public static DistributionLossSpec DefaultPdu(double ratedPowerW) => new("pdu", ratedPowerW, 0.004, 0.0, 0.011);

    /// <summary>The loss at an output load, W.</summary>
    public double LossW(double loadW)
    {
        if (RatedPowerW <= 0 || loadW <= 0)
        {
            return loadW <= 0 ? 0 : RatedPowerW * NoLoadFraction;
        }

        double x = loadW / RatedPowerW;
        return RatedPowerW * (NoLoadFraction + ProportionalFraction * x + SquareFraction * x * x);
    }
}
