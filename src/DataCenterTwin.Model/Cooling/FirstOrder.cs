namespace DataCenterTwin.Model.Cooling;

/// <summary>First-order lag dx/dt = (target − x)/τ with a constant target over a step.</summary>
public static class FirstOrder
{
    /// <summary>The exact solution after <paramref name="dtS"/>: target + (x − target)·e^(−dt/τ).</summary>
    public static double Exact(double x, double target, double tauS, double dtS) =>
        tauS <= 0 ? target : Toward(x, target, Decay(tauS, dtS));

    /// <summary>
    /// The share of the gap to the target left after <paramref name="dtS"/>, e^(−dt/τ) for τ &gt; 0:
    /// a caller stepping many states with one τ and step works it once and steps each with
    /// <see cref="Toward"/>, the same bits as <see cref="Exact"/> without an exponential per state.
    /// </summary>
    public static double Decay(double tauS, double dtS) => Math.Exp(-dtS / tauS);

    /// <summary>The state after a step whose <see cref="Decay"/> is <paramref name="decay"/>.</summary>
    public static double Toward(double x, double target, double decay) => target + ((x - target) * decay);

    /// <summary>
    /// One implicit (backward Euler) step, for a controller that integrates on its control step:
    /// stable at any step, first-order accurate (the error at least halves when the step halves).
    /// </summary>
    public static double ImplicitEuler(double x, double target, double tauS, double dtS) =>
        tauS <= 0 ? target : (x + (target * dtS / tauS)) / (1 + (dtS / tauS));
}
