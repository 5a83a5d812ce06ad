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

    [Theory]
    [MemberData(nameof(CursorModels))]
    public void DecodeWithCursor_IsTheSameNumber_AndNonDecreasingOnAPiece(string name)
    {
        // A decode span evaluates its iterations out of order and squeezes equal lengths between
        // two on one piece: each value must be bit for bit the plain call's, and on one piece of
        // the context curve never smaller than at a smaller context.
        var model = name switch
        {
            "llama70b" => Model,
            "one-point" => new ServingModel(Model.Profile with { DecodeContext = [2048], DecodeContextS = [0.031] }),
            _ => new ServingModel(Model.Profile with { DecodeContext = [128, 512, 1024, 2048, 8192], DecodeContextS = [0.0300, 0.0310, 0.0305, 0.0312, 0.0330] }),
        };
        var rng = new DataCenterTwin.Kernel.Random.RandomStreams(3).For("cursor");
        foreach (int batch in new[] { 1, 7, 32, 64 })
        {
            double batchTermS = model.DecodeBatchTermS(batch);
            var cursor = ServingModel.ContextCursor.None;
            int segment = 0;
            double last = double.NegativeInfinity;
            int lastPiece = int.MinValue;
            int pieces = 0;
            for (long context = batch; context < batch * 12_000L; context += batch * (1 + rng.NextInt(3)))
            {
                // Now and then a jump back, as a new span starts at a smaller context.
                long at = rng.NextDouble() < 0.02 ? Math.Max(batch, context - (batch * 3000L)) : context;
                double expected = model.DecodeIterationTimeS(batch, at / (double)batch);
                double got = model.DecodeIterationTimeS(batchTermS, at / (double)batch, ref cursor, ref segment, out int piece);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(got));
                if (at == context)
                {
                    Assert.True(piece != lastPiece || got >= last, $"{name}: batch {batch}, context {at}: {got} after {last} on piece {piece}");
                    pieces += piece != lastPiece ? 1 : 0;
                    last = got;
                    lastPiece = piece;
                }
                else
                {
                    lastPiece = int.MinValue;
                }
            }

            Assert.True(pieces >= 2, $"{name}: the sweep crossed {pieces} pieces");
        }
    }
}
