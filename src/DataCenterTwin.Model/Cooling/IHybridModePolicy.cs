namespace DataCenterTwin.Model.Cooling;

/// <summary>What a hybrid-mode policy sees each step.</summary>
/// <param name="GridHeadroomW">Interconnect capacity minus the site's electric draw, W (negative when over).</param>
/// <param name="CurrentGasShare">The chiller's gas share now, 0..1.</param>
/// <param name="AllElectricDrawW">What the chiller would draw all-electric at its current load, W.</param>
/// <param name="ElectricAvailable">Whether electric drives can run (false in a grid outage without generator).</param>
public readonly record struct HybridPolicyInput(double GridHeadroomW, double CurrentGasShare, double AllElectricDrawW, bool ElectricAvailable);

/// <summary>Chooses a hybrid chiller's gas share in <see cref="HybridMode.GridResponsive"/> mode.</summary>
public interface IHybridModePolicy
{
    /// <summary>The target gas share, 0..1.</summary>
    double GasShare(in HybridPolicyInput input);
}

/// <summary>
/// Moves load to gas when grid headroom falls below a reserve: the share grows by the shortfall over
/// the chiller's all-electric draw, and shrinks again (by the surplus beyond a hysteresis band) when
/// headroom returns. In an outage it goes all gas.
/// </summary>
/// <param name="ReserveW">Headroom to keep, W.</param>
/// <param name="HysteresisW">Extra headroom needed before moving load back to electric, W.</param>
public sealed record GridResponsivePolicy(double ReserveW, double HysteresisW = 0) : IHybridModePolicy
{
    /// <inheritdoc/>
    public double GasShare(in HybridPolicyInput input)
    {
        if (!input.ElectricAvailable)
        {
            return 1;
        }

        if (input.AllElectricDrawW <= 0)
        {
            return input.CurrentGasShare;
        }

        double shortfall = ReserveW - input.GridHeadroomW;
        if (shortfall > 0)
        {
            return Math.Clamp(input.CurrentGasShare + (shortfall / input.AllElectricDrawW), 0, 1);
        }

        double surplus = input.GridHeadroomW - ReserveW - HysteresisW;
        return surplus > 0 ? Math.Clamp(input.CurrentGasShare - (surplus / input.AllElectricDrawW), 0, 1) : input.CurrentGasShare;
    }
}
