using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

public class ServingModelTests
{
    private static readonly ServingModel Model = TestHardware.Llama70B;

    [Theory]
    [InlineData(2048, 0.1368)]   // the known answer: 2,048-token prompt, batch 1, 136.8 ms
    [InlineData(8192, 0.8449)]
    [InlineData(32768, 2.9363)]  // 64 prompts of 512 tokens in one iteration
    public void Prefill_ReturnsProfiledPoints(double tokens, double expectedS) =>
        Assert.Equal(expectedS, Model.PrefillTimeS(tokens), expectedS * 0.01);

    [Theory]
    [InlineData(1, 2048, 0.03105)]  // decode step at batch 1 (2,048-token prompt): 31.05 ms
    [InlineData(64, 512, 0.05016)]  // batch 64 with 512-token prompts: 50.16 ms
    [InlineData(16, 512, 0.03417)]
    public void Decode_ReturnsProfiledPoints(int batch, double context, double expectedS) =>
        Assert.Equal(expectedS, Model.DecodeIterationTimeS(batch, context), expectedS * 0.01);

    [Fact]
    public void Curves_AreMonotoneBetweenPoints()
    {
        double last = 0;
        for (int t = 1; t <= 40_000; t += 37)
        {
            double s = Model.PrefillTimeS(t);
            Assert.True(s >= last, $"prefill dips at {t}");
            last = s;
        }

        for (int ctx = 64; ctx <= 9000; ctx += 64)
        {
            last = 0;
            for (int b = 1; b <= 80; b++)
            {
                double s = Model.DecodeIterationTimeS(b, ctx);
                Assert.True(s >= last, $"decode dips at batch {b}, context {ctx}");
                Assert.True(Model.DecodeIterationTimeS(b, ctx + 64) >= s);
                last = s;
            }
        }
    }

    [Fact]
    public void Scaled_DividesTimes()
    {
        var fast = Model.Scaled("H200", 1.0, 1.5, "test");
        Assert.Equal(Model.DecodeIterationTimeS(8, 512) / 1.5, fast.DecodeIterationTimeS(8, 512), 12);
        Assert.Equal(Model.PrefillTimeS(1000), fast.PrefillTimeS(1000), 12);
    }

    public static TheoryData<string> CursorModels => new() { "llama70b", "one-point", "dips" };

    // The models CursorModels names: the Splitwise curve, a one-point curve, and a curve that falls and rises.
    private static ServingModel CursorModel(string name) => name switch
    {
        "llama70b" => Model,
        "one-point" => new ServingModel(Model.Profile with { DecodeContext = [2048], DecodeContextS = [0.031] }),
        _ => new ServingModel(Model.Profile with { DecodeContext = [128, 512, 1024, 2048, 8192], DecodeContextS = [0.0300, 0.0310, 0.0305, 0.0312, 0.0330] }),
    };

    [Theory]
    [MemberData(nameof(CursorModels))]
    public void DecodeWithCursor_IsThePlainCallsNumber(string name)
    {
        // A decode span keeps the context curve's segment from one iteration to the next: each of
        // its iteration times must be bit for bit the plain call's at that mean context, across
        // segments, below the first point, on a curve of one point, and when a new span starts lower.
        var model = CursorModel(name);
        var rng = new DataCenterTwin.Kernel.Random.RandomStreams(3).For("cursor");
        int segment = 0;
        for (int trial = 0; trial < 2_000; trial++)
        {
            int members = 1 + rng.NextInt(64);
            long context = members * (1 + (long)rng.NextInt(12_000));
            double batchTermS = model.DecodeBatchTermS(members);
            var cursor = ServingModel.ContextCursor.None;
            for (int j = 0; j < ComputeHall.MaxDecodeSpan; j++, context += members)
            {
                double expected = model.DecodeIterationTimeS(members, context / (double)members);
                double got = model.DecodeIterationTimeS(batchTermS, context / (double)members, ref cursor, ref segment);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(got));
            }
        }
    }

    [Theory]
    [MemberData(nameof(CursorModels))]
    public void DecodeSpanTimes_AreThePlainCallsNumbers(string name)
    {
        // A span's step times are computed four at a time in vector lanes where the four share the
        // cursor's segment: each must be bit for bit the plain call's at its mean context, for every
        // span length (the lanes and the scalar tail), across segments and below the first point.
        var model = CursorModel(name);
        var rng = new DataCenterTwin.Kernel.Random.RandomStreams(5).For("span-times");
        var steps = new double[ComputeHall.MaxDecodeSpan];
        int segment = 0;
        for (int trial = 0; trial < 2_000; trial++)
        {
            int members = 1 + rng.NextInt(256);
            int count = rng.NextInt(ComputeHall.MaxDecodeSpan);
            long context0 = (long)members * (1 + rng.NextInt(12_000)) + rng.NextInt(members);
            double batchTermS = model.DecodeBatchTermS(members);
            var cursor = ServingModel.ContextCursor.None;
            model.DecodeIterationTimesS(batchTermS, context0, members, steps.AsSpan(0, count), ref cursor, ref segment);
            for (int i = 0; i < count; i++)
            {
                long context = context0 + (long)members * (i + 1);
                double expected = model.DecodeIterationTimeS(members, context / (double)members);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(steps[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(CursorModels))]
    public void DecodeFromAKeptSegment_IsThePlainCallsNumber(string name)
    {
        // A replica keeps its context curve's segment between spans, and a step (the first of a span,
        // or a span's others from CursorAt) starts from that segment's cursor instead of searching:
        // the same number bit for bit whether the context is still in it, above, below, under the
        // first point, and whatever segment is kept (stale, out of range).
        var model = CursorModel(name);
        var rng = new DataCenterTwin.Kernel.Random.RandomStreams(7).For("kept-segment");
        var steps = new double[ComputeHall.MaxDecodeSpan];
        int segment = 0;
        int inside = 0;
        for (int trial = 0; trial < 4_000; trial++)
        {
            if (trial % 7 == 0)
            {
                segment = rng.NextInt(12) - 2;
            }

            int members = 1 + rng.NextInt(256);
            long context0 = (long)members * (1 + rng.NextInt(12_000)) + rng.NextInt(members);
            double mean = context0 / (double)members;
            var kept = model.CursorAt(segment);
            inside += mean > kept.XLo && mean <= kept.XHi ? 1 : 0;
            double expected = model.DecodeIterationTimeS(members, mean);
            double got = model.DecodeIterationTimeFromSegmentS(members, mean, ref segment);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(got));

            int count = rng.NextInt(ComputeHall.MaxDecodeSpan);
            var cursor = model.CursorAt(segment);
            model.DecodeIterationTimesS(model.DecodeBatchTermS(members), context0, members, steps.AsSpan(0, count), ref cursor, ref segment);
            for (int i = 0; i < count; i++)
            {
                long context = context0 + (long)members * (i + 1);
                expected = model.DecodeIterationTimeS(members, context / (double)members);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(steps[i]));
            }
        }

        if (name != "one-point")
        {
            Assert.True(inside > 100, $"{inside} steps started inside their kept segment: the kept cursor was not exercised");
        }
    }
}
