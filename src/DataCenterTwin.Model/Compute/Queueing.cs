namespace DataCenterTwin.Model.Compute;

/// <summary>Queueing formulas shared by the fluid hall and the reference models: one home each.</summary>
public static class Queueing
{
    /// <summary>
    /// Erlang C: the probability that an arrival waits in M/M/c with <paramref name="servers"/> servers
    /// and <paramref name="offeredErlangs"/> = λ/μ of offered load (below <paramref name="servers"/>),
    /// by the stable recursion on the Erlang B blocking probability (Kleinrock, Queueing Systems vol. 1, §3.5).
    /// </summary>
    public static double ErlangC(int servers, double offeredErlangs)
    {
        double b = 1;
        for (int n = 1; n <= servers; n++)
        {
            b = offeredErlangs * b / (n + (offeredErlangs * b));
        }

        double rho = offeredErlangs / servers;
        return b / (1 - (rho * (1 - b)));
    }
}
