using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// TTFT points gathered into groups for pairing with the output strata (prompt and output
/// independent, FluidHall.Coupling), worked by hand.
/// </summary>
public class FluidCouplingTests
{
    [Fact]
    public void Group_CutsAtTheBoundsAndTheObjective_KeepingTheMean()
    {
        // Eight equally likely TTFTs 1…8 s, given out of order; the objective at 2.5 s. Sorted, the
        // cumulative probability runs 1/8, 2/8, …: the objective closes {1, 2} (mean 1.5), the 0.5
        // bound {3, 4} (3.5), the 0.8 bound is first reached at 7/8, closing {5, 6, 7} (6), and {8} is
        // the rest. The weighted mean, 4.5 s, is kept.
        Span<double> v = [8, 3, 1, 5, 2, 7, 4, 6];
        Span<double> p = [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125];
        Span<double> gv = stackalloc double[16];
        Span<double> gp = stackalloc double[16];
        int n = FluidHall.Group(v, p, 2.5, gv, gp);

        Assert.Equal(4, n);
        Assert.Equal([1.5, 3.5, 6, 8], gv[..n].ToArray());
        Assert.Equal([0.25, 0.25, 0.375, 0.125], gp[..n].ToArray());
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += gv[i] * gp[i];
        }

        Assert.Equal(4.5, mean, 12);
    }

    [Fact]
    public void Group_NoGroupStraddlesTheObjective()
    {
        // Without the objective 1…8 would group as {1…4}, {5, 6, 7}, {8}; at 3.5 s the first splits
        // into {1, 2, 3} (2) and {4} (4), so the share over the objective, 5/8, stays exact.
        Span<double> v = [1, 2, 3, 4, 5, 6, 7, 8];
        Span<double> p = [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125];
        Span<double> gv = stackalloc double[16];
        Span<double> gp = stackalloc double[16];
        int n = FluidHall.Group(v, p, 3.5, gv, gp);

        Assert.Equal([2, 4, 6, 8], gv[..n].ToArray());
        double over = 0;
        for (int i = 0; i < n; i++)
        {
            over += gv[i] > 3.5 ? gp[i] : 0;
        }

        Assert.Equal(0.625, over, 12);
    }
}
