namespace DataCenterTwin.Model.Cooling;

/// <summary>EnergyPlus Curve:Cubic: c1 + c2·x + c3·x² + c4·x³, x clamped to its limits.</summary>
/// <param name="C1">Constant.</param>
/// <param name="C2">x coefficient.</param>
/// <param name="C3">x² coefficient.</param>
/// <param name="C4">x³ coefficient.</param>
/// <param name="XMin">Lowest x used.</param>
/// <param name="XMax">Highest x used.</param>
public sealed record CubicCurve(double C1, double C2, double C3, double C4, double XMin = double.NegativeInfinity, double XMax = double.PositiveInfinity)
{
    /// <summary>The curve's value at x (clamped).</summary>
    public double Value(double x)
    {
        x = Math.Clamp(x, XMin, XMax);
        return C1 + (x * (C2 + (x * (C3 + (x * C4)))));
    }
}
