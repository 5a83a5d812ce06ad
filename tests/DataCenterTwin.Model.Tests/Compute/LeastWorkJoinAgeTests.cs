using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// The age of the replica least outstanding work picks (LeastWorkJoinAge): its distribution against
/// values worked by another method (Bessel functions by their power series, the Poisson tail summed
/// from e^(−m)), and its mean against a direct simulation of replicas under least work.
/// </summary>
public class LeastWorkJoinAgeTests
{
    [Theory]
    [InlineData(1, 0.5, 0.671183)]
    [InlineData(1, 0.25, 0.402991)]
    [InlineData(4, 0.1, 0.325351)]
    [InlineData(4, 0.5, 0.791246)]
    [InlineData(15, 0.05, 0.397233)]
    [InlineData(15, 0.2, 0.692253)]
    public void Cdf_MatchesTheSeriesSum(double m, double t, double expected)
    {
        // P(a ≤ t) = F_J(t) + (1 − F_J(1))·F_1(t)/F_1(1), F_j(t) = 1 − e^(−x)·(I_0 + 2·Σ_{k=1}^{j−1} I_k + I_j),
        // x = 2m·t, P(J = j) = (1 − Σ_{k<j} e^(−m)·m^k/k!)/m; summed in Python with each I_k from its power
        // series Σ_i (x/2)^(2i+k)/(i!(i+k)!) to j = 59 (the production code: Miller's backward recurrence
        // and the Poisson weights from the mode). At m = 1: F_1(1) = 1 − e^(−2)·(2.2795853 + 1.5906369) = 0.476222.
        Assert.Equal(expected, LeastWorkJoinAge.Cdf(m, t), 5);
    }

    [Fact]
    public void FewJoinsPerStep_LeaveTheAgeUniform()
    {
        Span<double> ages = stackalloc double[8];
        LeastWorkJoinAge.Shares(0, ages);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal((i + 0.5) / 8, ages[i], 12);
        }

        // One join in a thousand steps: the uniform shares to a few parts in a thousand.
        LeastWorkJoinAge.Shares(1e-3, ages);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal((i + 0.5) / 8, ages[i], 2);
        }
    }

    [Fact]
    public void ManyJoinsPerStep_PickAReplicaJustPastItsBoundary()
    {
        double previous = 1;
        foreach (double m in new[] { 1.0, 4, 16, 64, 256, 1024 })
        {
            double mean = LeastWorkJoinAge.BinMeans(m).Average();
            Assert.True(mean < previous, $"m = {m}: {mean}");
            previous = mean;
        }

        // Of order 1/√m: the walk's first passage within a step.
        Assert.InRange(LeastWorkJoinAge.BinMeans(1024).Average() * Math.Sqrt(1024), 0.5, 1.5);
    }

    [Theory]
    [InlineData(192, 0.08)]
    [InlineData(1920, 0.08)]
    public void MeanAge_AgreesWithReplicasUnderLeastWork(int replicas, double arrivalsPerReplicaStep)
    {
        // The mechanism itself, by another method: replicas whose work falls by one batch at a boundary
        // every step (phases at random), Poisson arrivals to the least work (lowest index on ties) adding
        // an exponential request of 1/(λ·d) batches so the pool is steady; the age of the replica picked.
        // (Python, same model: mean age 0.210 at 192 replicas and λ·d = 0.079, 0.076 at 1,920.)
        var rng = new Random(7);
        int n = replicas;
        double lambda = arrivalsPerReplicaStep, total = n * lambda;
        var work = new double[n];
        var last = new double[n];
        var version = new int[n];
        var boundaries = new PriorityQueue<int, double>();
        var least = new PriorityQueue<(int Replica, int Version), (double Work, int Replica)>();
        for (int i = 0; i < n; i++)
        {
            double phase = rng.NextDouble();
            work[i] = rng.NextDouble() / lambda;
            last[i] = phase - 1;
            boundaries.Enqueue(i, phase);
            least.Enqueue((i, 0), (work[i], i));
        }

        double Exp(double rate) => -Math.Log(1 - rng.NextDouble()) / rate;
        double next = Exp(total), warm = 50, sum = 0;
        int count = 0;
        while (count < 150_000)
        {
            boundaries.TryPeek(out int r, out double tb);
            if (next < tb)
            {
                while (least.TryPeek(out var top, out _) && top.Version != version[top.Replica])
                {
                    least.Dequeue();
                }

                int j = least.Peek().Replica;
                if (next > warm)
                {
                    sum += next - last[j];
                    count++;
                }

                work[j] += Exp(lambda);
                least.Enqueue((j, ++version[j]), (work[j], j));
                next += Exp(total);
            }
            else
            {
                boundaries.Dequeue();
                work[r] -= 1;
                last[r] = tb;
                least.Enqueue((r, ++version[r]), (work[r], r));
                boundaries.Enqueue(r, tb + 1);
            }
        }

        double simulated = sum / count;
        double model = LeastWorkJoinAge.BinMeans(total).Average();
        Assert.InRange(model / simulated, 0.85, 1.05);
        Assert.InRange(simulated, 0.05, 0.25);
    }
}
