using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

// Bursts at fluid level: a class whose arrivals switch between phases (MMPP) loads its pool at the
// phase's rate, not the mean, for as long as the phase lasts (minutes, against iterations of tens
// of milliseconds), so the latency its requests see is a mixture of the pool solved at each phase's
// rate, weighted by the requests arriving in it (time share × rate). Energy and throughput stay on
// the mean rate, which they depend on almost linearly; the tails do not.
public sealed partial class FluidHall
{
    private int[]? _poolPhasedClass;

    // The first phased class the pool serves, or −1.
    private int PhasedClass(int poolIndex)
    {
        if (_poolPhasedClass is null)
        {
            _poolPhasedClass = new int[_pools.Length];
            for (int i = 0; i < _pools.Length; i++)
            {
                _poolPhasedClass[i] = -1;
                for (int c = 0; c < _classes.Length && _poolPhasedClass[i] < 0; c++)
                {
                    if (_arrivals[c] is IPhasedArrivals && _classShare[c][i] > 0)
                    {
                        _poolPhasedClass[i] = c;
                    }
                }
            }
        }

        return _poolPhasedClass[poolIndex];
    }

    // Records the pool's pending flush into the pattern being recorded (emptied by the one caller,
    // FluidHall.LatencyPatterns or FluidHall.KeptFlushes): the mixture over a bursty class's phases,
    // or the pending solution alone.
    private void RecordFlush(int poolIndex)
    {
        if (!RecordPhases(poolIndex))
        {
            var pool = _pools[poolIndex];
            RecordLatencies(poolIndex, pool.Pending, pool.PendingWaitS, 1);
        }
    }

    // The mixture over the phases of the first bursty class the pool serves; false when it serves none (or none applies).
    private bool RecordPhases(int poolIndex)
    {
        int c = PhasedClass(poolIndex);
        var pool = _pools[poolIndex];
        if (c < 0 || pool.PendingWaitS > 0 || pool.PendingLambda <= 0)
        {
            return false;
        }

        var phased = (IPhasedArrivals)_arrivals[c];
        double mean = _arrivals[c].MeanRatePerS;
        double lambdaPool = 0;
        for (int k = 0; k < _classes.Length; k++)
        {
            lambdaPool += _classRate[k] * _classShare[k][poolIndex];
        }

        double classShare = lambdaPool > 0 ? _classRate[c] * _classShare[c][poolIndex] / lambdaPool : 0;
        if (mean <= 0 || classShare <= 0)
        {
            return false;
        }

        var spec = pool.Spec;
        double capacity = Capacity(spec, pool.PendingF, pool.StepPrompt, pool.StepOutput, pool.StepPrefill1, pool.StepBatchS);
        for (int phase = 0; phase < phased.PhaseCount; phase++)
        {
            double factor = phased.PhaseRatePerS(phase) / mean;
            double lambda = pool.PendingLambda * (1 + (classShare * (factor - 1)));
            double share = phased.PhaseProbability(phase);
            if (share <= 0 || factor <= 0)
            {
                continue;
            }

            // A phase above capacity queues for as long as it lasts: on average half its excess arrivals wait for the rest.
            double waitS = 0;
            if (lambda > 0.98 * capacity)
            {
                waitS = (lambda - (0.98 * capacity)) * phased.PhaseMeanSojournS(phase) / (2 * capacity);
                lambda = 0.98 * capacity;
            }

            var s = SolveAt(spec, pool.Active, lambda, pool.PendingF, pool.StepPrompt, pool.StepOutput, pool.StepPrefill1, pool.StepBatchS);
            RecordLatencies(poolIndex, s, waitS, pool.PendingShare, c, share, factor);
        }

        return true;
    }
}
