namespace DataCenterTwin.Model.Compute;

/// <summary>
/// One pool's totals since the start of the run, the same at both fidelities: requests served,
/// tokens, busy accelerator time and the IT energy of its racks. At fluid level counts are
/// expected numbers (not whole).
/// </summary>
/// <param name="Name">The pool.</param>
/// <param name="Accelerators">Accelerators in the pool's racks.</param>
/// <param name="Requests">Requests served.</param>
/// <param name="PromptTokens">Prompt tokens of the requests served.</param>
/// <param name="OutputTokens">Output tokens of the requests served.</param>
/// <param name="BusyAcceleratorSeconds">Accelerator-seconds busy (a replica with work counts all its accelerators).</param>
/// <param name="EnergyJ">IT energy of the pool's racks (accelerators and hosts), J.</param>
public sealed record PoolTotals(string Name, int Accelerators, double Requests, double PromptTokens, double OutputTokens, double BusyAcceleratorSeconds, double EnergyJ)
{
    /// <summary>Busy time over available time across <paramref name="seconds"/>, 0–1.</summary>
    public double Utilisation(double seconds) => seconds > 0 && Accelerators > 0 ? BusyAcceleratorSeconds / (Accelerators * seconds) : 0;

    /// <summary>The sum of two spans' totals of the same pool (a fluid run and its request-level windows).</summary>
    public static PoolTotals operator +(PoolTotals a, PoolTotals b) =>
        a with
        {
            Requests = a.Requests + b.Requests,
            PromptTokens = a.PromptTokens + b.PromptTokens,
            OutputTokens = a.OutputTokens + b.OutputTokens,
            BusyAcceleratorSeconds = a.BusyAcceleratorSeconds + b.BusyAcceleratorSeconds,
            EnergyJ = a.EnergyJ + b.EnergyJ,
        };
}
