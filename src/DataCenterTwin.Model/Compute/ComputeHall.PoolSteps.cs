using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Model.Compute;

// What a replica's step reads of its pool, in one object a pool: its batching limits and serving
// model (otherwise loads through the pool, its spec and the batching spec, each time), and a decode
// step's compute share, wall share and speed at full clocks by batch size. Those are the numbers
// BeginStep and StepSpeed work out (Roofline's two divisions each, and SetStepClock's two), from the
// same functions at the same arguments, taken once when the hall is built: a decode span starting at
// full clocks reads them. Built from the spec, so not state.
public sealed partial class ComputeHall
{
    [NotState]
    private readonly PoolSteps[] _poolSteps;

    // At clock f a step of compute share c spends (c/f) / (c/f + 1 − c) of its wall time computing.
    private static double ComputeWallShareAt(double computeShare, double clock)
    {
        double computeWall = clock > 0 ? computeShare / clock : 0;
        double total = computeWall + (1 - computeShare);
        return total > 0 ? computeWall / total : 0;
    }

    /// <summary>Pool <paramref name="pool"/>'s kept compute share, wall share and speed of a decode step of <paramref name="batch"/> at full clocks. For tests.</summary>
    internal (double Share, double WallShare, double Speed) DecodeStepAtFullClocks(int pool, int batch) =>
        (_poolSteps[pool].DecodeShare[batch], _poolSteps[pool].DecodeWallShare[batch], _poolSteps[pool].DecodeSpeed[batch]);

    private static PoolSteps[] NewPoolSteps(IReadOnlyList<PoolSpec> pools) =>
        [.. pools.Select(p => new PoolSteps(p))];

    private sealed class PoolSteps
    {
        public PoolSteps(PoolSpec spec)
        {
            var batching = spec.Batching;
            Serving = spec.Serving;
            MaxBatch = batching.MaxBatch;
            MaxPrefillTokens = batching.MaxPrefillTokens;
            KvCacheTokens = batching.KvCacheTokens;
            Preempt = batching.OnKvFull == KvFullPolicy.Preempt;
            var roofline = spec.Server.Accelerator.Roofline;
            int n = MaxBatch + 1;
            DecodeShare = new double[n];
            DecodeWallShare = new double[n];
            DecodeSpeed = new double[n];
            for (int b = 0; b < n; b++)
            {
                long stepTokens = b;
                DecodeShare[b] = roofline.ComputeShare(stepTokens);
                DecodeWallShare[b] = ComputeWallShareAt(DecodeShare[b], 1.0);
                DecodeSpeed[b] = Roofline.StepSpeed(DecodeShare[b], 1.0);
            }
        }

        public ServingModel Serving { get; }

        public int MaxBatch { get; }

        public int MaxPrefillTokens { get; }

        public long KvCacheTokens { get; }

        public bool Preempt { get; }

        /// <summary>Roofline.ComputeShare of a decode step of each batch size, 0..MaxBatch.</summary>
        public double[] DecodeShare { get; }

        /// <summary>Its share of wall time spent computing at full clocks (ComputeWallShareAt(share, 1)).</summary>
        public double[] DecodeWallShare { get; }

        /// <summary>Its speed at full clocks (Roofline.StepSpeed(share, 1)).</summary>
        public double[] DecodeSpeed { get; }

        /// <summary>
        /// Step times of the span being computed (StartDecodeSpan), reused: no allocation per span.
        /// The pool's own, so lanes running at once never share it (ComputeHall.Lanes.cs).
        /// </summary>
        public double[] SpanSteps { get; } = new double[MaxDecodeSpan];
    }
}
