using DataCenterTwin.Model.Compute.Dispatch;

namespace DataCenterTwin.Model.Compute;

// The spread a mean-field solution leaves out, from the pool's prompt strata and its slot queue:
// - the wait for a batch slot as a distribution (Erlang C: none, or exponential;
//   FluidLatency.SlotWaitPoints), on top of the rest of the iteration in progress (its mean, or under
//   least work where joiners land: JoinerWaitPoints);
// - the prefill batches that interrupt decoding vary in length with the prompts (their squared
//   coefficient of variation, a batch of k prompts having 1/k of one prompt's), which widens the
//   time-per-token tail as a compound Poisson sum (FluidLatency.TpotPoints).
// The rest of the iteration in progress stays at its mean, not length-biased over the prompt strata
// (the M/G/1 residual life, E[P²]/2E[P]): that closed the metro day's TTFT p99 gap from −39 % to
// −29 % but put the bursty (MMPP) class of FluidTailAgreementTests 15.0 % above the request level,
// where power-of-two dispatch steers arrivals away from replicas in a long prefill.
public sealed partial class FluidHall
{
    // Writes the pool's wait before a request's own prefill into the spans; returns the count.
    private int WaitBeforePrefill(int poolIndex, in Solution s, Span<double> value, Span<double> probability, out double interruptionCv2)
    {
        double rateSum = 0, timeSum = 0, squareSum = 0, poolRate = 0;
        for (int c = 0; c < _classes.Length; c++)
        {
            double rate = _classRate[c] * _classShare[c][poolIndex];
            poolRate += Math.Max(0, rate);
            var cls = _classes[c];
            if (rate <= 0 || cls.MeanPrefill1S[poolIndex] <= 0)
            {
                continue;
            }

            double scale = s.PrefillBatchS / cls.MeanPrefill1S[poolIndex];
            var stratumPrefillS = StratumPrefillS(c, poolIndex);
            for (int j = 0; j < TokenQuantiles; j++)
            {
                double w = rate * FluidLatency.StratumWeight(j);
                double p = stratumPrefillS[j] * scale;
                rateSum += w;
                timeSum += w * p;
                squareSum += w * p * p;
            }
        }

        double meanP = rateSum > 0 ? timeSum / rateSum : 0;
        double batchSize = Math.Max(1, s.PrefillBatchSize);
        interruptionCv2 = meanP > 0 ? Math.Max(0, (squareSum / rateSum / (meanP * meanP)) - 1) / batchSize : 0;

        // With no wait for a slot: none for a request that found an idle replica, the joiners' wait for
        // the others (SolveAt's JoinWaitS, mean kept); else that wait at its mean beside the slot wait's points.
        // Under least work the joiners' wait is drawn as where they land (JoinerWaitPoints).
        int n = FluidLatency.SlotWaitPoints(s.SlotWaitProbability, s.SlotWaitGivenS, value, probability);
        var pool = _pools[poolIndex];
        if (SteersJoinersToDecode(pool.Spec.Dispatch))
        {
            double inPrefill = s.Prefill + s.Decode > 0 ? s.Prefill / (s.Prefill + s.Decode) : 0;
            double joinsPerStep = poolRate * Math.Clamp(s.JoinShare, 0, 1) * Math.Max(0, s.DecodeS);
            if (n == 1)
            {
                double slotS = value[0];
                int m = JoinerWaitPoints(pool.Active, s.JoinShare, inPrefill, s.DecodeS, s.StartPrefillS, s.PrefillBatchS, s.PrefillBatchSize, joinsPerStep, value, probability);
                for (int i = 0; i < m; i++)
                {
                    value[i] += slotS;
                }

                return m;
            }

            double meanS = JoinerMeanWaitS(pool.Active, s.JoinShare, inPrefill, s.DecodeS, s.StartPrefillS, s.PrefillBatchS, s.PrefillBatchSize, joinsPerStep);
            for (int i = 0; i < n; i++)
            {
                value[i] += meanS;
            }

            return n;
        }

        if (n == 1 && s.JoinShare < 1 - 1e-9 && s.JoinWaitS > 0)
        {
            value[1] = value[0] + s.JoinWaitS;
            probability[1] = s.JoinShare;
            probability[0] = 1 - s.JoinShare;
            return 2;
        }

        double residualS = s.JoinShare * s.JoinWaitS;
        for (int i = 0; i < n; i++)
        {
            value[i] += residualS;
        }

        return n;
    }

    // How the prefills that stall a pool's decoding requests come (FluidLatency.TpotPoints, clustered):
    // a prefill is followed by another where a request joined its replica during it, and a request's
    // first decode iteration follows its own prefill. Joiners land on a replica holding a prompt at
    // PrefillJoinPerS, so a prefill of length P is followed by another with probability 1 − e^(−λP).
    // The runs at the other iterations start at the rate that keeps the mean-field time per token
    // over the pool's outputs: E[n]·q̄ = r0/(1 − r) + E[n]·c/(1 − r), q̄ the solved interruptions per
    // iteration, E[n] the mean decode iterations.
    private (double RunsPerIteration, double ChainShare, double FirstStallShare) StallRuns(int poolIndex, in Solution s)
    {
        double perIteration = s.PrefillBatchS > 0 ? Math.Max(0, s.TpotS - s.DecodeS) / s.PrefillBatchS : 0;
        double rateSum = 0, iterationSum = 0;
        for (int c = 0; c < _classes.Length; c++)
        {
            double rate = _classRate[c] * _classShare[c][poolIndex];
            if (rate <= 0)
            {
                continue;
            }

            var output = _classes[c].OutputQ;
            for (int j = 0; j < TokenQuantiles; j++)
            {
                double w = rate * FluidLatency.StratumWeight(j);
                rateSum += w;
                iterationSum += w * Math.Max(0, output[j] - 1);
            }
        }

        double meanIterations = rateSum > 0 ? iterationSum / rateSum : 0;
        return StallRuns(perIteration, meanIterations, s.PrefillJoinPerS, s.PrefillBatchS, s.StartPrefillS, s.JoinShare);
    }

    /// <summary>
    /// Runs of prefills per decode iteration, the chance a prefill is followed by another, and the chance a
    /// request's first decode iteration waits for a run: <paramref name="perIteration"/> interruptions per
    /// iteration on average over outputs of <paramref name="meanIterations"/> iterations, joiners landing
    /// on a replica holding a prompt at <paramref name="prefillJoinPerS"/>, a joined prefill lasting
    /// <paramref name="prefillBatchS"/>, one started alone <paramref name="startPrefillS"/>, a share
    /// <paramref name="joinShare"/> of requests joining.
    /// </summary>
    internal static (double RunsPerIteration, double ChainShare, double FirstStallShare) StallRuns(double perIteration, double meanIterations, double prefillJoinPerS, double prefillBatchS, double startPrefillS, double joinShare)
    {
        double joinPerS = Math.Max(0, prefillJoinPerS);
        if (!(perIteration > 0) || !(meanIterations > 0) || !(joinPerS > 0))
        {
            return (Math.Max(0, perIteration), 0, 0);
        }

        double chain = Math.Min(0.95, -double.ExpM1(-joinPerS * prefillBatchS));
        double first = ((1 - joinShare) * -double.ExpM1(-joinPerS * startPrefillS)) + (joinShare * chain);
        first = Math.Min(first, perIteration * meanIterations * (1 - chain));
        double runs = Math.Max(0, ((1 - chain) * perIteration) - (first / meanIterations));
        return (runs, chain, first);
    }

    // The decode step a request sees: a busy replica's batch is 1 + Poisson(b − 1) (as JoinedBatchRatio
    // takes it), and a request sits in a batch size-biased to the large (a batch of i holds i requests),
    // mean E[B²]/E[B] and variance E[B³]/E[B] − that², with E[Bᵏ] of 1 + X, X ~ Poisson(μ):
    // 1 + μ, 1 + 3μ + μ², 1 + 7μ + 6μ² + μ³. The solved step is at the replica's mean batch (what power
    // and throughput see); the step is linear in the batch, so the request's mean step is above it by
    // the slope times the size bias. A request keeps much the same batch over its life (an ai100 replica
    // of aircooled-retrofit gains a request every 20 s, a request decodes for 16 s), so the spread
    // stays in its time per token: request level's ai100 TPOT rises from 0.182 s at night to 0.196 s at
    // the peak, the fluid's mean-field step by under 2 %.
    private static (double DecodeS, double VarianceS2) DecodeSeen(in Solution s) => DecodeSeen(s.DecodeS, s.DecodeStepPerRequestS, s.DecodeBatch);

    /// <summary>The mean and variance of the decode step a request sees, the step being <paramref name="decodeS"/> at a busy replica's mean batch <paramref name="batch"/> and <paramref name="slopeS"/> more per request.</summary>
    internal static (double DecodeS, double VarianceS2) DecodeSeen(double decodeS, double slopeS, double batch)
    {
        double slope = slopeS, mu = Math.Max(0, batch - 1);
        if (!(slope > 0) || !(mu > 0))
        {
            return (decodeS, 0);
        }

        double m1 = 1 + mu, m2 = 1 + (3 * mu) + (mu * mu), m3 = 1 + (7 * mu) + (6 * mu * mu) + (mu * mu * mu);
        double biased = m2 / m1;
        double variance = Math.Max(0, (m3 / m1) - (biased * biased));
        return (decodeS + (slope * (biased - m1)), slope * slope * variance);
    }

    // Least outstanding work (and thermal-aware, least work among cool racks) counts a request's prompt
    // and output tokens as its replica's work from its dispatch, the prompt's until its prefill ends
    // (ComputeHall.Batching), so a replica holding a prompt carries a whole request's more than one only
    // decoding, and a joiner goes to one only decoding while there is one. SolveAt lands joiners at random
    // (its prefill batch feeds power and stays so); the latency draws them where least work sends them.
    private static bool SteersJoinersToDecode(DispatchKind dispatch) => dispatch is DispatchKind.LeastWork or DispatchKind.ThermalAware;

    // Points the rest of a decode step is spread over (equal shares of its distribution, LeastWorkJoinAge).
    private const int DecodeWaitPoints = LeastWorkJoinAge.Points;

    // Most points JoinerWaitPoints writes: none, a prefill, the decode step's.
    private const int MaxJoinerWaitPoints = 2 + DecodeWaitPoints;

    /// <summary>
    /// The mean wait, s, of a joiner that lands on a replica in a prefill or with a prompt queued: the
    /// rest of the prefill in progress (half of one, started alone after an idle replica, a share
    /// 1 − <paramref name="joinShare"/> of them, lasting <paramref name="startPrefillS"/>, or joined, of
    /// <paramref name="prefillBatchSize"/> prompts lasting <paramref name="prefillBatchS"/>, weighted by
    /// the time each takes), and the other prompts of its own batch (what a joined batch takes over a lone
    /// prompt): SolveAt's wait of a joiner landing on a prompt.
    /// </summary>
    internal static double PrefillLanderWaitS(double joinShare, double startPrefillS, double prefillBatchS, double prefillBatchSize)
    {
        double a = Math.Clamp(joinShare, 0, 1), k = Math.Max(1, prefillBatchSize);
        double starts = (1 - a) * startPrefillS, joins = a * prefillBatchS / k;
        double iterS = starts + joins > 0 ? ((starts * startPrefillS) + (joins * prefillBatchS)) / (starts + joins) : startPrefillS;
        return (iterS / 2) + Math.Max(0, prefillBatchS - startPrefillS);
    }

    /// <summary>
    /// Where a joiner under least work lands, and what it waits beyond its own prefill, as points and
    /// probabilities: nothing for the share 1 − <paramref name="joinShare"/> that finds an idle replica;
    /// a joiner lands on a replica holding a prompt only when all <paramref name="replicas"/> do (each a
    /// share <paramref name="inPrefill"/> of the time, independently: q^n), and then waits
    /// <see cref="PrefillLanderWaitS"/>; the rest wait for the rest of the decode step in progress
    /// (<paramref name="decodeS"/>) and prefill alone, as the replica that now holds their prompt is
    /// passed over by those arriving after. How much of the step is left is not uniform: least work takes
    /// a replica that has mostly just crossed a decode boundary, the more so the more joins a step
    /// (<paramref name="joinsPerStep"/>; <see cref="LeastWorkJoinAge"/>), so the step's share already run
    /// is drawn as that model's eight equal-probability shares. Request level, the metro chat pool alone
    /// at 2.19 requests/s a replica: a joiner's TTFT beyond its own prefill is 0.79 of a decode step on
    /// average with 192 replicas and 0.92 with 1,920 (uniform: 0.5). Writes into the spans; returns the count.
    /// </summary>
    internal static int JoinerWaitPoints(int replicas, double joinShare, double inPrefill, double decodeS, double startPrefillS, double prefillBatchS, double prefillBatchSize, double joinsPerStep, Span<double> value, Span<double> probability)
    {
        double a = Math.Clamp(joinShare, 0, 1);
        double h = Math.Pow(Math.Clamp(inPrefill, 0, 1), Math.Max(1, replicas));
        int n = 0;
        if (a < 1)
        {
            value[n] = 0;
            probability[n++] = 1 - a;
        }

        if (a > 0 && h > 0)
        {
            value[n] = PrefillLanderWaitS(a, startPrefillS, prefillBatchS, prefillBatchSize);
            probability[n++] = a * h;
        }

        if (a > 0 && h < 1)
        {
            Span<double> ages = stackalloc double[LeastWorkJoinAge.Points];
            LeastWorkJoinAge.Shares(joinsPerStep, ages);
            for (int i = 0; i < DecodeWaitPoints; i++)
            {
                // The oldest share first, so the waits rise.
                value[n] = Math.Max(0, decodeS) * (1 - ages[DecodeWaitPoints - 1 - i]);
                probability[n++] = a * (1 - h) / DecodeWaitPoints;
            }
        }

        return n;
    }

    /// <summary>The mean of <see cref="JoinerWaitPoints"/>, s (beside a wait for a batch slot, where the points are the slot wait's).</summary>
    internal static double JoinerMeanWaitS(int replicas, double joinShare, double inPrefill, double decodeS, double startPrefillS, double prefillBatchS, double prefillBatchSize, double joinsPerStep)
    {
        double a = Math.Clamp(joinShare, 0, 1);
        double h = Math.Pow(Math.Clamp(inPrefill, 0, 1), Math.Max(1, replicas));
        Span<double> ages = stackalloc double[LeastWorkJoinAge.Points];
        LeastWorkJoinAge.Shares(joinsPerStep, ages);
        double meanAge = 0;
        foreach (double age in ages)
        {
            meanAge += age / LeastWorkJoinAge.Points;
        }

        return a * ((h * PrefillLanderWaitS(a, startPrefillS, prefillBatchS, prefillBatchSize)) + ((1 - h) * Math.Max(0, decodeS) * (1 - meanAge)));
    }
}
