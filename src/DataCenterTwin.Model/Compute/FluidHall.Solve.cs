namespace DataCenterTwin.Model.Compute;

// The mean-field solve of one replica: capacity, batch, slot queue, and the Poisson helpers it needs.
public sealed partial class FluidHall
{
    /// <summary>The per-replica arrival rate at which prefill plus decode at the largest batch fill a replica's time at clock factor <paramref name="f"/>.</summary>
    internal static double ReplicaCapacityPerS(PoolSpec spec, double f, double prompt, double output, double prefill1) => Capacity(spec, f, prompt, output, prefill1, null);

    // The per-replica arrival rate at which prefill plus decode at the largest batch fill the replica's time.
    private static double Capacity(PoolSpec spec, double f, double prompt, double output, double prefill1, double[]? prefillBatchS)
    {
        var serving = spec.Serving;
        double maxBatch = MaxBatch(spec, prompt, output);
        double decodeIters = Math.Max(0, output - 1);
        var roof = spec.Server.Accelerator.Roofline;
        double dFull = serving.DecodeIterationTimeS((int)maxBatch, prompt + (output / 2)) / roof.StepSpeedAt((int)maxBatch, f);
        double shape = serving.PrefillTimeS(prompt) > 0 ? prefill1 / serving.PrefillTimeS(prompt) : 1;
        double kMax = Math.Max(1, spec.Batching.MaxPrefillTokens / Math.Max(1, prompt));
        double BusyAt(double lambda)
        {
            double k = Math.Min(1 + (lambda * dFull), kMax);
            return (lambda * PrefillBatchS(prefillBatchS, serving, k, prompt, shape) / roof.StepSpeedAt(k * prompt, f) / k) + (lambda * decodeIters * dFull / maxBatch);
        }

        double lo = 0, hi = 1;
        while (BusyAt(hi) < 1 && hi < 1e7)
        {
            lo = hi;
            hi *= 2;
        }

        for (int i = 0; i < 50; i++)
        {
            double mid = (lo + hi) / 2;
            if (BusyAt(mid) < 1)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static Solution SolveAt(PoolSpec spec, int replicas, double lambda, double f, double prompt, double output, double prefill1, double[]? prefillBatchS)
    {
        var s = new Solution();
        if (lambda <= 0)
        {
            return s;
        }

        var serving = spec.Serving;
        double maxBatch = MaxBatch(spec, prompt, output);
        double context = prompt + (output / 2);
        double decodeIters = Math.Max(0, output - 1);
        double prefillShape = serving.PrefillTimeS(prompt) > 0 ? prefill1 / serving.PrefillTimeS(prompt) : 1;
        var roof = spec.Server.Accelerator.Roofline;
        int choices = DispatchChoices(spec);
        double kMax = Math.Max(1, spec.Batching.MaxPrefillTokens / Math.Max(1, prompt));
        double p1 = prefill1 / roof.StepSpeedAt(prompt, f);
        double batch = 1, iterS = p1, pJoinS = p1, rhoStart = 0, rhoJoin = 0, rhoP = 0, rhoD = 0, d = 0, busy = 0, tpot = 0, ttft = 0, kJoin = 1, allBusy = 1, joinWaitS = 0, prefillJoinPerS = 0;
        for (int i = 0; i < 60; i++)
        {
            // Dispatch sends a request to an idle replica while one of its draws is (a share 1 − allBusy
            // of arrivals): it prefills alone, at once, and starts that replica's busy period. The rest
            // join a busy replica: they wait for its iteration in progress and prefill together with the
            // others that joined it during that iteration (FluidHall.Dispatch: where joiners land).
            double joinRate = busy > 0 ? lambda * allBusy / busy : lambda;
            double inPrefill = busy > 0 ? Math.Min(1, rhoP / busy) : 0;
            double onPrefill = JoinsOnPrefill(choices, inPrefill, prompt, batch * output);
            prefillJoinPerS = joinRate * (inPrefill > 0 ? onPrefill / inPrefill : 1);
            kJoin = Math.Min(1 + (prefillJoinPerS * iterS), kMax);
            pJoinS = PrefillBatchS(prefillBatchS, serving, kJoin, prompt, prefillShape) / roof.StepSpeedAt(kJoin * prompt, f);
            rhoStart = lambda * (1 - allBusy) * p1;
            rhoJoin = lambda * allBusy * pJoinS / kJoin;
            rhoP = rhoStart + rhoJoin;
            d = DecodeStepS(serving, roof, batch, context, f);

            // Only the joiners' prefills interrupt decoding requests (a replica that was idle had none);
            // taking every prefill as an interruption put the metro day's code pool (power-of-two, 40-60 %
            // busy) 30 % slow per token and 10-20 % busier than request level.
            // A decoding request's wall time is the decode steps and the joiners' prefills that stall its
            // batch: d·(ρD + m·ρJ)/ρD, m the joined batch over the mean one (FluidHall.JoinedBatchRatio).
            double stalled = rhoJoin * JoinedBatchRatio(choices, batch);
            double interrupted = busy > 0 ? stalled / Math.Max(1e-300, rhoD + stalled) : rhoP;
            tpot = d / Math.Max(1e-6, 1 - Math.Min(0.999, interrupted));

            // A joiner waits for the rest of the iteration in progress (a prefill where it landed on a
            // replica holding a prompt, else a decode step) and for the other prompts of its own prefill.
            double prefillIterS = rhoP > 0 ? ((rhoStart * p1) + (rhoJoin * pJoinS)) / rhoP : p1;
            joinWaitS = (onPrefill * prefillIterS / 2) + ((1 - onPrefill) * d / 2) + Math.Max(0, pJoinS - p1);
            ttft = p1 + (allBusy * joinWaitS);
            double inSystem = lambda * replicas * (ttft + (decodeIters * tpot));

            // Balanced dispatch: with N requests in the pool, min(N, replicas) replicas are busy.
            if (choices > 0)
            {
                // The better of a few random draws: fewer replicas busy than under perfect balance (FluidHall.Dispatch).
                double u = BusyShare(inSystem / replicas, choices);
                busy = Math.Max(rhoP, u);
                allBusy = Math.Pow(u, choices);
            }
            else
            {
                busy = Math.Max(rhoP, ExpectedMin(inSystem, replicas) / replicas);
                allBusy = AtLeast(inSystem, replicas);
            }
            rhoD = Math.Max(busy - rhoP, 0);
            double next = decodeIters > 0 && rhoD > 0 ? lambda * decodeIters * d / rhoD : 1;
            next = Math.Clamp(next, 1, maxBatch);
            if (decodeIters > 0 && next >= maxBatch)
            {
                rhoD = lambda * decodeIters * d / maxBatch;
            }

            iterS = rhoP + rhoD > 0 ? ((rhoP * prefillIterS) + (rhoD * d)) / (rhoP + rhoD) : d;
            if (Math.Abs(next - batch) < 1e-6 * next && i > 2)
            {
                break;
            }

            batch = (batch + next) / 2;
        }

        s.Prefill = rhoP;
        s.Decode = rhoD;
        s.PrefillBatchS = pJoinS;
        s.StartPrefillS = p1;
        s.PrefillSpeed = roof.StepSpeedAt(prompt, f);
        s.JoinShare = allBusy;
        s.JoinWaitS = joinWaitS;
        s.PrefillJoinPerS = prefillJoinPerS;
        s.DecodeBatch = batch;
        s.DecodeStepPerRequestS = Math.Max(0, DecodeStepS(serving, roof, batch + 1, context, f) - d);
        s.TpotS = tpot;

        // Prompts per prefill iteration: alone after an idle replica, kJoin together after a busy one.
        SetStepPower(ref s, spec, prompt / ((1 - allBusy) + (allBusy / kJoin)), batch, maxBatch, f);
        s.DecodeS = d;

        // Waiting for a batch slot: the pool's running batches as an M/M/c queue of slots.
        double slotWait = 0, slotProbability = 0, slotGivenS = 0;
        if (decodeIters > 0)
        {
            double slots = maxBatch * replicas;
            double holdS = (decodeIters * tpot) + pJoinS;
            double offered = lambda * replicas * holdS;
            // Far below the slot count the wait probability is below 1e-9: skip the O(c) recursion.
            if (slots - offered < 6 * Math.Sqrt(Math.Max(offered, 1)) && slots < 1e6)
            {
                int c = (int)slots;
                slotProbability = offered < c ? Queueing.ErlangC(c, offered) : 1;
                slotGivenS = offered < c ? holdS / (c - offered) : holdS;
                slotWait = slotProbability * slotGivenS;
            }
        }

        s.TtftS = slotWait + ttft;
        s.SlotWaitProbability = slotProbability;
        s.SlotWaitGivenS = slotGivenS;
        s.PrefillBatchSize = kJoin;
        return s;
    }

    private static double MaxBatch(PoolSpec spec, double prompt, double output) =>
        Math.Min(spec.Batching.MaxBatch, Math.Max(1, spec.Batching.KvCacheTokens / Math.Max(1, prompt + output)));

    // P(N ≥ m) for N ~ Poisson(mean): every one of m replicas holds a request. Exact by summation
    // for small means, normal with continuity correction beyond.
    private static double AtLeast(double mean, int m)
    {
        if (mean <= 0)
        {
            return m <= 0 ? 1 : 0;
        }

        if (mean > 60)
        {
            return 1 - NormalCdf((m - 0.5 - mean) / Math.Sqrt(mean));
        }

        double p = Math.Exp(-mean), below = 0;
        for (int k = 0; k < m; k++)
        {
            below += p;
            p *= mean / (k + 1);
        }

        return Math.Clamp(1 - below, 0, 1);
    }

    // E[min(N, m)] for N ~ Poisson(mean): exact by summation for small means, normal beyond.
    private static double ExpectedMin(double mean, int m)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 60)
        {
            double sd = Math.Sqrt(mean);
            double z = (m - mean) / sd;
            double phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            double excess = sd * (phi - (z * (1 - NormalCdf(z))));
            return mean - excess;
        }

        double p = Math.Exp(-mean), below = 0, sum = 0;
        for (int k = 0; k < m; k++)
        {
            sum += k * p;
            below += p;
            p *= mean / (k + 1);
        }

        return sum + (m * Math.Max(0, 1 - below));
    }

    private static double NormalCdf(double z)
    {
        // Abramowitz and Stegun 7.1.26 on erf: error below 1.5e-7.
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + (0.3275911 * x));
        double erf = 1 - ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
