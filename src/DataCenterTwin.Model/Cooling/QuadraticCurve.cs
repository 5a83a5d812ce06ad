namespace DataCenterTwin.Model.Cooling;

/// <summary>EnergyPlus Curve:Quadratic: c1 + c2·x + c3·x², x clamped to its limits.</summary>
/// <param name="C1">Constant.</param>
/// <param name="C2">x coefficient.</param>
/// <param name="C3">x² coefficient.</param>
/// <param name="XMin">Lowest x used.</param>
/// <param name="XMax">Highest x used.</param>
public sealed record QuadraticCurve(double C1, double C2, double C3, double XMin = double.NegativeInfinity, double XMax = double.PositiveInfinity)
{
    /// <summary>The constant curve 1.</summary>
    public static QuadraticCurve One { get; } = new(1, 0, 0);

    /// <summary>The curve's value at x (clamped).</summary>
    public double Value(double x)
    {
        x = Math.Clamp(x, XMin, XMax);
        return C1 + (C2 * x) + (C3 * x * x);
    }
}
