using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

// JoinedBatchRatio reads P(Erlang(i) < Erlang(j)) from a table worked once, and BusyShare takes
// pow(u, 1) as u; both must give the bits of the forms they replaced (worked here as they were).
public class FluidDispatchBitsTests
{
    // JoinedBatchRatio as it was: the comparison rows rebuilt on every call.
    private static double JoinedBatchRatioRebuilt(double batch)
    {
        const int maxTerms = 136;
        double mu = Math.Min(batch, 64) - 1;
        int terms = Math.Min(maxTerms, (int)(mu + (8 * Math.Sqrt(mu + 1)) + 8));
        var p = new double[maxTerms];
        var below = new double[maxTerms + 1];
        var row = new double[maxTerms + 1];
        double term = Math.Exp(-mu), total = 0;
        for (int k = 0; k < terms; k++)
        {
            p[k] = term;
            total += term;
            term *= mu / (k + 1);
        }

        for (int j = 1; j <= terms; j++)
        {
            below[j] = 1;
        }

        double sum = 0;
        for (int i = 1; i <= terms; i++)
        {
            row[0] = 0;
            double inner = 0;
            for (int j = 1; j <= terms; j++)
            {
                row[j] = 0.5 * (below[j] + row[j - 1]);
                inner += p[j - 1] * row[j];
            }

            sum += p[i - 1] * 2 * inner * i;
            Array.Copy(row, below, terms + 1);
        }

        return sum / (total * total) / (mu + 1);
    }

    // BusyShare as it was: Math.Pow for every number of draws.
    private static double BusySharePow(double loadPerReplica, int choices)
    {
        if (!(loadPerReplica > 0))
        {
            return 0;
        }

        double Rhs(double u)
        {
            double joined = Math.Pow(u, choices - 1);
            double x = loadPerReplica * joined;
            double period = x > 1e-12 ? double.ExpM1(x) / joined : loadPerReplica;
            return (1 - (joined * u)) * period;
        }

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

    [Fact]
    public void JoinedBatchRatio_FromTheTable_HasTheBitsOfTheRebuiltRows()
    {
        var random = new Random(7);
        for (int n = 0; n < 400; n++)
        {
            // Whole, half and arbitrary batches from just above 1 to past the 64 where the sums stop.
            double batch = n < 200 ? 1 + (n * 0.5) : 1 + (random.NextDouble() * 120);
            Assert.Equal(BitConverter.DoubleToInt64Bits(JoinedBatchRatioRebuilt(batch)), BitConverter.DoubleToInt64Bits(FluidHall.JoinedBatchRatio(2, batch)));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void BusyShare_HasTheBitsOfThePowForm(int choices)
    {
        var random = new Random(11);
        for (int n = 0; n < 2000; n++)
        {
            double load = n < 1000 ? n * 0.004 : random.NextDouble() * 8;
            Assert.Equal(BitConverter.DoubleToInt64Bits(BusySharePow(load, choices)), BitConverter.DoubleToInt64Bits(FluidHall.BusyShare(load, choices)));
        }
    }

    [Fact]
    public void PowOfOne_IsItsBase()
    {
        // What BusyShare's two-draw case rests on, checked on this machine's math library.
        var random = new Random(3);
        for (int n = 0; n < 100_000; n++)
        {
            double u = random.NextDouble();
            Assert.Equal(u, Math.Pow(u, 1));
        }
    }
}
