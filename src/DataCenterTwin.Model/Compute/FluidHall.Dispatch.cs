using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Compute;

// How a pool's dispatch spreads its requests, as the fluid solution sees it. Least outstanding work
// sends an arrival to an idle replica while there is one, so with N requests in the pool min(N, m)
// replicas are busy. Power-of-two choices only sees two random replicas: an arrival finds an idle
// one with probability 1 − u² (u: the busy share), and the rest join busy replicas, so fewer
// replicas are busy and their batches are larger. Taking every policy as perfectly balanced made the
// metro hall's code pool (power-of-two, about one request per replica in flight) 77 % busy at fluid
// level against 60 % request by request, and its energy 10 % high.
public sealed partial class FluidHall
{
    /// <summary>Replicas a dispatch decision compares: 2 for power-of-two choices, 0 for a policy taken as balancing perfectly.</summary>
    internal static int DispatchChoices(PoolSpec spec) => spec.Dispatch == DispatchKind.PowerOfTwo ? 2 : 0;

    /// <summary>
    /// Busy share of replicas under the better of <paramref name="choices"/> random draws (mean field,
    /// many replicas), each replica holding its requests together for <c>T</c> (a batch server: a
    /// request's time barely depends on how many share it), at <paramref name="loadPerReplica"/> = λT per
    /// replica. An arrival starts a busy period where one of its draws is idle (rate λ(1 − u^d) per
    /// replica) and otherwise joins a busy replica (rate λu^(d−1) on each), so a busy period lasts as an
    /// M/G/∞ one at that rate, (e^(λ_b·T) − 1)/λ_b, and u = λ(1 − u^d)·(e^(λ_b·T) − 1)/λ_b. With one
    /// draw this is 1 − e^(−λT) (each replica an M/G/∞ queue); as draws grow it tends to min(λT, 1).
    /// </summary>
    internal static double BusyShare(double loadPerReplica, int choices)
    {
        if (!(loadPerReplica > 0))
        {
            return 0;
        }

        double Rhs(double u)
        {
            // pow(u, 1) is u exactly (a correctly rounded result that is representable): two draws skip the call.
            double joined = choices == 2 ? u : Math.Pow(u, choices - 1);
            double x = loadPerReplica * joined;
            double period = x > 1e-12 ? double.ExpM1(x) / joined : loadPerReplica;
            return (1 - (joined * u)) * period;
        }

        // u − Rhs(u) rises from −λT at u = 0 to 1 at u = 1: bisect for its root.
        double lo = 0, hi = 1;
        for (int i = 0; i < 50; i++)
        {
            double mid = (lo + hi) / 2;
            if (mid - Rhs(mid) < 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    /// <summary>
    /// Of the requests that join a busy replica, the share that lands on one holding a prompt (in a
    /// prefill, or with one queued for the next), when a share <paramref name="inPrefill"/> of busy
    /// replicas does. A perfectly balancing policy (<paramref name="choices"/> 0) is taken to land at
    /// random. The better of d draws compares outstanding tokens: a replica holding a prompt has its
    /// decoding requests' remaining tokens plus <paramref name="promptTokens"/>, a decode-only one its
    /// remaining tokens alone, of mean <paramref name="decodeOutstandingTokens"/>. With those remainders
    /// independent and exponential (memoryless output lengths), their difference is Laplace, so a
    /// replica holding a prompt has fewer with probability s = ½·e^(−K/μ). With two draws the joiner
    /// lands on a prompt holder when both hold one, or when one does and wins: q² + 2q(1 − q)·s (more
    /// draws: q^d, and s for the mixed draws). With s = ½ this is q (no steering); for the metro code
    /// class's 2,048-token prompts against about 40 tokens left to decode it is q², and joiners mostly
    /// wait for a short decode step, not a long prefill, as request level shows (the mean wait of a
    /// code request beyond its own prefill, 60 requests/s on 64 replicas: 9 ms, against 16 ms when
    /// joiners landed at random).
    /// </summary>
    internal static double JoinsOnPrefill(int choices, double inPrefill, double promptTokens, double decodeOutstandingTokens)
    {
        double q = Math.Clamp(inPrefill, 0, 1);
        if (choices <= 0 || q <= 0 || q >= 1)
        {
            return q;
        }

        double s = 0.5 * Math.Exp(-Math.Max(0, promptTokens) / Math.Max(1, decodeOutstandingTokens));
        double all = Math.Pow(q, choices), none = Math.Pow(1 - q, choices);
        return all + ((1 - all - none) * s);
    }

    /// <summary>
    /// Decoding requests a joiner's prefill stalls, over the mean decode batch: 1 where joiners land
    /// at random on busy replicas, less under the better of two draws, which compares outstanding
    /// tokens and so favours the smaller batch, while a decoding request sits in a batch size-biased
    /// to the large. Batches on busy replicas are taken as 1 + Poisson(<paramref name="batch"/> − 1)
    /// and each request's remaining tokens as exponential (as <see cref="JoinsOnPrefill"/>), so a
    /// replica of i requests holds fewer tokens than one of j with P(Erlang(i) &lt; Erlang(j)), a fair
    /// coin's i heads before j tails. Returns Σᵢ Σⱼ pᵢ pⱼ · 2 P(Erlang(i) &lt; Erlang(j)) · i / batch:
    /// 0.87 at a mean batch of 1.5, 0.83 at 2-3, 0.95 at 64. Taking every decoding request as stalled
    /// by every joiner put the metro code pool's time per token 1-3 % above request level at 21-90
    /// requests/s (30-minute steady runs), where the interruption share is up to a fifth.
    /// </summary>
    internal static double JoinedBatchRatio(int choices, double batch)
    {
        if (choices != 2 || !(batch > 1))
        {
            return 1;
        }

        // Beyond a mean of 64 the ratio moves by under 0.02 (to 1 as the batch grows): the sums stop there.
        double mu = Math.Min(batch, 64) - 1;
        int terms = Math.Min(MaxBatchTerms, (int)(mu + (8 * Math.Sqrt(mu + 1)) + 8));
        Span<double> p = stackalloc double[MaxBatchTerms];
        double term = Math.Exp(-mu), total = 0;
        for (int k = 0; k < terms; k++)
        {
            p[k] = term;
            total += term;
            term *= mu / (k + 1);
        }

        var erlangBelow = s_erlangBelow;
        double sum = 0;
        for (int i = 1; i <= terms; i++)
        {
            var row = erlangBelow.AsSpan((i * ErlangStride) + 1, terms);
            double inner = 0;
            for (int j = 0; j < row.Length; j++)
            {
                inner += p[j] * row[j];
            }

            sum += p[i - 1] * 2 * inner * i;
        }

        return sum / (total * total) / (mu + 1);
    }

    private const int MaxBatchTerms = 136;
    private const int ErlangStride = MaxBatchTerms + 1;

    // P(Erlang(i) < Erlang(j)) at [i · ErlangStride + j], i, j ≤ MaxBatchTerms. It does not depend on
    // the batch, so it is worked once (JoinedBatchRatio rebuilt it on every call, two thirds of a
    // design year's solve time) by the same recurrence, which gives the same bits.
    private static readonly double[] s_erlangBelow = ErlangBelowTable();

    private static double[] ErlangBelowTable()
    {
        var t = new double[(MaxBatchTerms + 1) * ErlangStride];

        // Row 0: Erlang(0) is 0, below every Erlang(j ≥ 1).
        for (int j = 1; j <= MaxBatchTerms; j++)
        {
            t[j] = 1;
        }

        // Row i from row i − 1: the next coin flip is a head or a tail.
        for (int i = 1; i <= MaxBatchTerms; i++)
        {
            int row = i * ErlangStride, below = row - ErlangStride;
            for (int j = 1; j <= MaxBatchTerms; j++)
            {
                t[row + j] = 0.5 * (t[below + j] + t[row + j - 1]);
            }
        }

        return t;
    }

    // Full-clock decode step time at a mean running batch, divided by the step's speed at the clock:
    // linear between whole batches (the profile is piecewise linear, and the mean of a step time linear
    // in the batch is the time at the mean batch). Rounding the batch to a whole one moved a code
    // replica's step, at batches of 1 to 2, by up to 1 %.
    private static double DecodeStepS(ServingModel serving, Roofline roof, double batch, double context, double f)
    {
        double b = Math.Max(1, batch);
        int lo = (int)Math.Floor(b);
        double dLo = serving.DecodeIterationTimeS(lo, context) / roof.StepSpeedAt(lo, f);
        if (b <= lo)
        {
            return dLo;
        }

        double dHi = serving.DecodeIterationTimeS(lo + 1, context) / roof.StepSpeedAt(lo + 1, f);
        return dLo + ((b - lo) * (dHi - dLo));
    }
}
