using System.Globalization;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// The ratios of paired runs (with streams over without) of <c>dctwin bench service</c>: their median and a
/// distribution-free 95 % confidence interval of it, from order statistics (the sign-test interval:
/// Conover, Practical Nonparametric Statistics, 3rd ed., 1999, §3.2). A loaded machine's wall times are
/// neither normal nor steady, so neither a mean nor a t interval is asked of them; the interval only
/// assumes the pairs independent, each ratio as likely above its median as below.
/// </summary>
internal sealed class RatioSpread
{
    private RatioSpread(IReadOnlyList<double> sorted, int lowerRank)
    {
        Sorted = sorted;
        LowerRank = lowerRank;
    }

    /// <summary>The ratios in increasing order.</summary>
    public IReadOnlyList<double> Sorted { get; }

    /// <summary>
    /// The rank k (1-based) of the interval's lower end, x(k), its upper end being x(n + 1 − k); 0 when no
    /// such interval of 95 % exists (fewer than 6 ratios).
    /// </summary>
    public int LowerRank { get; }

    public double Median => Sorted.Count % 2 == 1 ? Sorted[Sorted.Count / 2] : (Sorted[(Sorted.Count / 2) - 1] + Sorted[Sorted.Count / 2]) / 2;

    public double Lower => LowerRank > 0 ? Sorted[LowerRank - 1] : double.NaN;

    public double Upper => LowerRank > 0 ? Sorted[Sorted.Count - LowerRank] : double.NaN;

    /// <summary>The interval's coverage: 1 − 2 P(B &lt; k) with B binomial (n, ½).</summary>
    public double Coverage => LowerRank > 0 ? 1 - (2 * BelowRank(Sorted.Count, LowerRank)) : double.NaN;

    public static RatioSpread Of(IEnumerable<double> ratios)
    {
        var sorted = ratios.Order().ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no ratios", nameof(ratios));
        }

        // The largest k whose interval [x(k), x(n+1-k)] covers the median with at least 95 %:
        // the median lies below x(k) only when fewer than k of the n ratios lie below it.
        int k = 0;
        while (k + 1 <= (sorted.Count + 1) / 2 && BelowRank(sorted.Count, k + 1) <= 0.025)
        {
            k++;
        }

        return new RatioSpread(sorted, k);
    }

    public string Describe()
    {
        string interval = LowerRank > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Coverage:P1} interval of the median {Lower:F3} to {Upper:F3} (ratios {LowerRank} and {Sorted.Count + 1 - LowerRank} of {Sorted.Count} in order)")
            : $"no 95 % interval of the median from {Sorted.Count} pairs (6 needed)";
        return string.Create(CultureInfo.InvariantCulture, $"median {Median:F3}, {interval}; min {Sorted[0]:F3}, max {Sorted[^1]:F3}");
    }

    /// <summary>Whether the ratios show the wall time rising by less than <paramref name="goal"/> (a ratio, e.g. 1.10), in words.</summary>
    public string Verdict(double goal)
    {
        if (LowerRank == 0)
        {
            return $"not shown: too few pairs for an interval (6 needed), median {Median.ToString("F3", CultureInfo.InvariantCulture)}";
        }

        string bound = goal.ToString("F2", CultureInfo.InvariantCulture);
        return Upper < goal ? $"SHOWN: the whole interval of the median ratio lies below {bound}"
            : Lower >= goal ? $"NOT MET: the whole interval of the median ratio lies at or above {bound}"
            : $"not shown either way: the interval of the median ratio spans {bound} (more pairs or a quieter machine would narrow it)";
    }

    // P(B < k) for B binomial (n, 1/2).
    private static double BelowRank(int n, int k)
    {
        double sum = 0, term = Math.Pow(0.5, n);
        for (int i = 0; i < k; i++)
        {
            sum += term;
            term = term * (n - i) / (i + 1);
        }

        return sum;
    }
}
