using DataCenterTwin.Model.Metrics;

namespace DataCenterTwin.Model.Compute;

// A request's prompt and output lengths are drawn independently (ComputeHall samples each from its
// own distribution), so its time to first token, which follows its prompt, and its decode time,
// which follows its output, are independent too. Pairing the j-th prompt stratum with the j-th
// output stratum (as the fluid hall did) gave the longest outputs the longest prompts as well and
// put the metro day's code end-to-end p99 31 % above the request level's (8.68 s against 6.61 s).
// The end-to-end latency is instead the sum over the product of the two: the TTFT points (prompt
// strata × slot waits) are gathered into a few groups, each at its conditional mean (so the mean is
// kept), and each group is paired with every output stratum and its time-per-token points. The
// groups split at the class's TTFT objective, so that part of the SLO is judged exactly.
// That is up to nine times the end-to-end points of pairing the j-th prompt with the j-th output;
// recorded every step it doubled a fluid year's cost, recorded once per change of the step's inputs
// (FluidHall.LatencyPatterns) it is a few per cent of it.
public sealed partial class FluidHall
{
    // Upper bounds of the TTFT groups in probability: the upper tail narrow, as for the tokens.
    private static readonly double[] s_ttftGroupBounds = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0];

    /// <summary>Most TTFT groups <see cref="TtftGroups"/> writes: one more than the bounds, for the split at the objective.</summary>
    private static int MaxTtftGroups => s_ttftGroupBounds.Length + 1;

    // The class's TTFT points (its prompt strata, each after every slot-wait point), added to its
    // TTFT distribution with weight count, then gathered into groups; writes the groups' values and
    // probabilities and returns their count. The point spans are scratch of at least
    // TokenQuantiles × waitPoints.
    private int TtftGroups(int poolIndex, int c, double count, double scale, double waitS, ReadOnlySpan<double> waits, ReadOnlySpan<double> waitProbs,
        WeightedPattern ttft, Span<double> pointS, Span<double> pointP, Span<double> groupS, Span<double> groupP)
    {
        var cls = _classes[c];
        var stratumPrefillS = StratumPrefillS(c, poolIndex);
        int n = 0;
        for (int j = 0; j < TokenQuantiles; j++)
        {
            double ownPrefillS = waitS + (stratumPrefillS[j] * scale);
            double w = FluidLatency.StratumWeight(j);
            for (int i = 0; i < waits.Length; i++)
            {
                pointS[n] = ownPrefillS + waits[i];
                pointP[n] = w * waitProbs[i];
                ttft.Add(pointS[n], count * pointP[n]);
                n++;
            }
        }

        return Group(pointS[..n], pointP[..n], cls.Slo.TtftS, groupS, groupP);
    }

    /// <summary>
    /// Gathers weighted points into groups by value: cut at the probability bounds of
    /// <see cref="s_ttftGroupBounds"/> and at <paramref name="splitAt"/> (no group holds values on both
    /// sides of it), each group at its weighted mean. Sorts the points in place; returns the count.
    /// </summary>
    internal static int Group(Span<double> value, Span<double> probability, double splitAt, Span<double> groupValue, Span<double> groupProbability)
    {
        value.Sort(probability);
        double total = 0;
        for (int i = 0; i < probability.Length; i++)
        {
            total += probability[i];
        }

        if (!(total > 0))
        {
            return 0;
        }

        int g = 0, bound = 0;
        double cumulative = 0, sumP = 0, sumV = 0;
        for (int i = 0; i < value.Length; i++)
        {
            sumP += probability[i];
            sumV += probability[i] * value[i];
            cumulative += probability[i];

            // Close the group where the next point crosses the split or this one reaches the next bound
            // (to rounding: strata summing to a bound exactly must not pull the next value into the group).
            bool crosses = i + 1 < value.Length && value[i] <= splitAt && value[i + 1] > splitAt;
            bool reaches = bound < s_ttftGroupBounds.Length - 1 && cumulative >= s_ttftGroupBounds[bound] * total * (1 - 1e-12);
            if (i + 1 == value.Length || crosses || reaches)
            {
                if (sumP > 0)
                {
                    groupValue[g] = sumV / sumP;
                    groupProbability[g] = sumP / total;
                    g++;
                }

                (sumP, sumV) = (0, 0);
                while (bound < s_ttftGroupBounds.Length - 1 && cumulative >= s_ttftGroupBounds[bound] * total * (1 - 1e-12))
                {
                    bound++;
                }
            }
        }

        return g;
    }
}
