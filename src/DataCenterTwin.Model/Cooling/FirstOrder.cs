namespace DataCenterTwin.Model.Cooling;

/// <summary>First-order lag dx/dt = (target − x)/τ with a constant target over a step.</summary>
public static class FirstOrder
{
    /// <summary>The exact solution after <paramref name="dtS"/>: target + (x − target)·e^(−dt/τ).</summary>
    public static double Exact(double x, double target, double tauS, double dtS) =>
        tauS <= 0 ? target : target + ((x - target) * Math.Exp(-dtS / tauS));

    /// <summary>
    /// One implicit (backward Euler) step, for a controller that integrates on its control step:
    /// stable at any step, first-order accurate (the error at least halves when the step halves).
    /// </summary>
    public static double ImplicitEuler(double x, double target, double tauS, double dtS) =>
        tauS <= 0 ? target : (x + (target * dtS / tauS)) / (1 + (dtS / tauS));
}
