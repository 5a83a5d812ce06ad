namespace DataCenterTwin.Model.Compute;

// Sizing a fleet on predicted time to first token: the fluid solution of a replica's batching
// (prefill batches, decode interruptions, Erlang C queueing for batch slots) predicts the mean TTFT
// of n active replicas sharing a load; both fidelities' scalers ask it, so they size alike.
public sealed partial class FluidHall
{
    // Above this share of a replica's saturation rate the mean-value solution no longer predicts a
    // bounded queue, so a fleet is never sized closer to saturation on TTFT alone.
    private const double MaxTtftSizingLoad = 0.98;

    /// <summary>
    /// The fewest of <paramref name="replicas"/> active replicas whose predicted mean TTFT at
    /// <paramref name="arrivalsPerS"/> (spread evenly, full clocks, mean tokens) is at most
    /// <paramref name="targetTtftS"/>; all of them when none is enough; 0 with no load.
    /// </summary>
    internal static int ReplicasForTtft(PoolSpec spec, double arrivalsPerS, double prompt, double output, int replicas, double targetTtftS)
    {
        if (!(arrivalsPerS > 0) || replicas <= 0)
        {
            return 0;
        }

        double prefill1 = spec.Serving.PrefillTimeS(prompt);
        double capacity = Capacity(spec, 1, prompt, output, prefill1, null);
        int lo = capacity > 0 ? (int)Math.Ceiling((arrivalsPerS / (MaxTtftSizingLoad * capacity)) - 1e-9) : replicas;
        lo = Math.Clamp(lo, 1, replicas);
        if (PredictedTtftS(spec, lo, arrivalsPerS, prompt, output, prefill1) <= targetTtftS)
        {
            return lo;
        }

        // TTFT falls as replicas are added (each gets less of the load): bisect for the first that meets the target.
        int hi = replicas;
        if (PredictedTtftS(spec, hi, arrivalsPerS, prompt, output, prefill1) > targetTtftS)
        {
            return replicas;
        }

        while (hi - lo > 1)
        {
            int mid = lo + ((hi - lo) / 2);
            if (PredictedTtftS(spec, mid, arrivalsPerS, prompt, output, prefill1) <= targetTtftS)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>Predicted mean TTFT of <paramref name="active"/> replicas sharing <paramref name="arrivalsPerS"/>, s.</summary>
    internal static double PredictedTtftS(PoolSpec spec, int active, double arrivalsPerS, double prompt, double output, double prefill1) =>
        SolveAt(spec, active, arrivalsPerS / active, 1, prompt, output, prefill1, null).TtftS;
}
