namespace DataCenterTwin.Model.Cooling;

/// <summary>EnergyPlus Curve:Biquadratic: c1 + c2·x + c3·x² + c4·y + c5·y² + c6·x·y, inputs clamped to their limits.</summary>
/// <param name="C1">Constant.</param>
/// <param name="C2">x coefficient.</param>
/// <param name="C3">x² coefficient.</param>
/// <param name="C4">y coefficient.</param>
/// <param name="C5">y² coefficient.</param>
/// <param name="C6">x·y coefficient.</param>
/// <param name="XMin">Lowest x used.</param>
/// <param name="XMax">Highest x used.</param>
/// <param name="YMin">Lowest y used.</param>
/// <param name="YMax">Highest y used.</param>
public sealed record BiquadraticCurve(double C1, double C2, double C3, double C4, double C5, double C6,
    double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Whether (x, y) lies within the curve's limits (the data it was fitted on).</summary>
    public bool Covers(double x, double y) => x >= XMin && x <= XMax && y >= YMin && y <= YMax;

    /// <summary>The curve's value at (x, y), each clamped to its limits.</summary>
    public double Value(double x, double y)
    {
        x = Math.Clamp(x, XMin, XMax);
        y = Math.Clamp(y, YMin, YMax);
        return C1 + (C2 * x) + (C3 * x * x) + (C4 * y) + (C5 * y * y) + (C6 * x * y);
    }
}
