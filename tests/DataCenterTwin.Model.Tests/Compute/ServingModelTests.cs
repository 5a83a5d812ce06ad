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
}
