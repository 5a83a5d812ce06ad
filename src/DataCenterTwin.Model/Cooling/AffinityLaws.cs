namespace DataCenterTwin.Model.Cooling;

/// <summary>Fan and pump affinity laws: flow ∝ speed, head ∝ speed², power ∝ speed³.</summary>
public static class AffinityLaws
{
    /// <summary>Shaft power at <paramref name="flowFraction"/> of design flow, from the design power.</summary>
    public static double Power(double designPowerW, double flowFraction) =>
        designPowerW * flowFraction * flowFraction * flowFraction;
}
