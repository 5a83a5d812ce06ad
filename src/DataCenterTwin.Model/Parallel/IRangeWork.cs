namespace DataCenterTwin.Model.Parallel;

/// <summary>
/// Per-index work of a control step (one rack, one pool) that <see cref="StepWorkers"/> spreads
/// over threads: each index reads shared inputs and writes only its own slots, so the result is
/// the same whichever thread runs it and however the range is cut. Sums over indices are taken
/// afterwards, on one thread, in index order.
/// </summary>
public interface IRangeWork
{
    /// <summary>Does the work of indices [<paramref name="start"/>, <paramref name="end"/>).</summary>
    void Run(int start, int end);
}
