using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

// Served requests into latency metrics, stratum by stratum.
public sealed partial class FluidHall
{
    // RecordLatencies' working points, kept from call to call: stackalloc zeroed 4.6 kB each call,
    // most of the call's time in a sampled profile where the pattern changes every step. Each span is written
    // before it is read (the callees fill a prefix and return its length), so stale values never show.
    [NotState]
    private double[]? _latencyScratch;

    // Each class's served requests, spread over its token strata (FluidLatency): a request with the
    // i-th prompt stratum sees the solved prefill at its length, one with the j-th output stratum the
    // solved iteration times over its length (prompt and output independent, FluidHall.Coupling), and
    // its time per token varies with the prefill batches that interrupt its decoding. Written into the pattern
    // being recorded (FluidHall.LatencyPatterns), or, outside one, straight into the class metrics.
    private void RecordLatencies(int poolIndex, in Solution s, double waitS, double servedShare, int phasedClass = -1, double phaseShare = 1, double phaseFactor = 1)
    {
        var into = _recording;
        if (into is null)
        {
            into = _direct ??= new LatencyPattern(_classes.Length);
            Retire(into);
        }

        int tpotN = FluidLatency.MaxTpotPoints, waitN = Math.Max(FluidLatency.MaxWaitPoints, MaxJoinerWaitPoints), pointN = TokenQuantiles * waitN, groupN = MaxTtftGroups;
        Span<double> scratch = _latencyScratch ??= new double[2 * (tpotN + waitN + pointN + groupN)];
        Span<double> tpots = scratch.Slice(0, tpotN);
        Span<double> probs = scratch.Slice(tpotN, tpotN);
        scratch = scratch[(2 * tpotN)..];
        Span<double> waits = scratch.Slice(0, waitN);
        Span<double> waitProbs = scratch.Slice(waitN, waitN);
        scratch = scratch[(2 * waitN)..];
        int waitPoints = WaitBeforePrefill(poolIndex, s, waits, waitProbs, out double interruptionCv2);
        Span<double> pointS = scratch.Slice(0, pointN);
        Span<double> pointP = scratch.Slice(pointN, pointN);
        scratch = scratch[(2 * pointN)..];
        Span<double> groupS = scratch.Slice(0, groupN);
        Span<double> groupP = scratch.Slice(groupN, groupN);
        var (runsPerIteration, chainShare, firstStallShare) = StallRuns(poolIndex, s);
        var (decodeS, decodeVarS2) = DecodeSeen(s);
        for (int c = 0; c < _classes.Length; c++)
        {
            double rate = _classRate[c] * _classShare[c][poolIndex];
            if (rate <= 0)
            {
                continue;
            }

            var cls = _classes[c];
            double count = rate * servedShare * phaseShare * (c == phasedClass ? phaseFactor : 1);
            double scale = s.PrefillSpeed > 0 ? 1 / s.PrefillSpeed : 1;
            var (tpotOut, e2eOut) = (into.Tpot[c], into.E2e[c]);

            // Prompt and output independent (FluidHall.Coupling): TTFT over the prompt strata, its
            // groups paired with every output stratum for the end-to-end latency and the SLO.
            int groups = RecordsLatencyDistributions ? TtftGroups(poolIndex, c, count, scale, waitS, waits[..waitPoints], waitProbs[..waitPoints], into.Ttft[c], pointS, pointP, groupS, groupP) : 0;
            double sloMet = 0;
            for (int j = 0; RecordsLatencyDistributions && j < TokenQuantiles; j++)
            {
                double w = count * FluidLatency.StratumWeight(j);
                double iterations = Math.Max(0, cls.OutputQ[j] - 1);
                int points = FluidLatency.TpotPoints(iterations, decodeS, s.PrefillBatchS, runsPerIteration, chainShare, firstStallShare, tpots, probs, interruptionCv2, decodeVarS2);
                for (int n = 0; n < points; n++)
                {
                    tpotOut.Add(iterations > 0 ? tpots[n] : 0, w * probs[n]);
                }

                for (int i = 0; i < groups; i++)
                {
                    double wi = w * groupP[i];
                    double ttft = groupS[i];
                    for (int n = 0; n < points; n++)
                    {
                        double wn = wi * probs[n];
                        double e2e = ttft + (iterations * tpots[n]);
                        e2eOut.Add(e2e, wn);
                        if (cls.Slo.IsMet(ttft, tpots[n], e2e))
                        {
                            sloMet += wn;
                        }
                    }
                }
            }

            into.SloMet[c] += sloMet;
            into.Completed[c] += count;
            into.Touched[c] = true;
        }

        if (ReferenceEquals(into, _direct))
        {
            Apply(into, 1);
        }
    }
}
