using DataCenterTwin.Model.Workload;
using DataCenterTwin.Traces.Requests;

namespace DataCenterTwin.Traces.Tests.Requests;

public class AzureLlmTraceReaderTests
{
    private static string Asset(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "assets", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }

    [Theory]
    [InlineData("AzureLLMInferenceTrace_code.csv", 8819, 3435.95, 18_059_974, 245_896, 13.15)]
    [InlineData("AzureLLMInferenceTrace_conv.csv", 19366, 3501.72, 22_361_870, 4_088_665, 1.09)]
    public void RealTraces_IngestExactly(string file, int count, double spanS, long context, long generated, double cv)
    {
        var result = AzureLlmTraceReader.Read(Asset("traces/" + file));
        var t = result.Trace;
        Assert.Equal(0, result.SkippedRows);
        Assert.Equal(count, t.Count);
        Assert.Equal(spanS, t.SpanS, 0.005);
        Assert.Equal(context, t.TotalPromptTokens);
        Assert.Equal(generated, t.TotalOutputTokens);
        Assert.Equal(cv, t.InterArrivalCv(), 0.005);
    }

    [Fact]
    public void Replay_AtTwiceTheSpeed_HalvesTheSpan()
    {
        var t = AzureLlmTraceReader.Read(Asset("traces/AzureLLMInferenceTrace_code.csv")).Trace;
        var replay = new TraceReplayArrivals(t, speedUp: 2);
        double first = -1, last = 0;
        int n = 0;
        while (replay.TryNext(out var a))
        {
            first = first < 0 ? a.Time.TotalSeconds : first;
            last = a.Time.TotalSeconds;
            n++;
        }

        Assert.Equal(t.Count, n);
        Assert.Equal(t.SpanS / 2, last - first, 1e-6);
    }

    [Fact]
    public void PoissonAtTheConvMeanRate_HasCvOne()
    {
        var t = AzureLlmTraceReader.Read(Asset("traces/AzureLLMInferenceTrace_conv.csv")).Trace;
        var p = new PoissonArrivals(t.MeanRatePerS, new DataCenterTwin.Kernel.Random.RandomStreams(1).For("p"));
        var offsets = new long[t.Count];
        long first = 0;
        for (int i = 0; i < t.Count; i++)
        {
            p.TryNext(out var a);
            first = i == 0 ? a.Time.Ticks : first;
            offsets[i] = a.Time.Ticks - first;
        }

        var poisson = new RequestTrace(offsets, new int[t.Count], new int[t.Count]);
        Assert.Equal(1.00, poisson.InterArrivalCv(), 0.02);
    }

    private const string Good = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\n";

    [Fact]
    public void MalformedRows_AreRefused_WithTheirLineNumbers()
    {
        string text = Good + "2023-11-16 18:17:04.0,abc,8\n2023-11-16 18:17:05.0,1,2\nnot a time,1,2\n2023-11-16 18:17:06.0,1\n";
        var e = Assert.Throws<InvalidDataException>(() => AzureLlmTraceReader.Read(new StringReader(text), "t.csv"));
        Assert.Contains("t.csv:3: ContextTokens", e.Message, StringComparison.Ordinal);
        Assert.Contains("t.csv:5: TIMESTAMP", e.Message, StringComparison.Ordinal);
        Assert.Contains("t.csv:6: expected 3 fields", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedRows_CanBeSkipped_AndCounted()
    {
        string text = Good + "2023-11-16 18:17:04.0,-5,8\n2023-11-16 18:17:05.5,1,2\n2023-11-16 18:17:01.0,1,2\n";
        var r = AzureLlmTraceReader.Read(new StringReader(text), "t.csv", MalformedRowPolicy.SkipRows);
        Assert.Equal(2, r.SkippedRows);
        Assert.Equal(2, r.Trace.Count);
        Assert.Equal(1.52004, r.Trace.SpanS, 6);
        Assert.Contains(r.Problems, p => p.StartsWith("t.csv:5: TIMESTAMP", StringComparison.Ordinal));
    }

    [Fact]
    public void TimestampsWithOffsetAndShortFractions_Parse()
    {
        string text = "TIMESTAMP,ContextTokens,GeneratedTokens\n2024-05-10 00:00:00.5+00:00,1,1\n2024-05-10 00:00:01.25+00:00,2,2\n";
        Assert.Equal(0.75, AzureLlmTraceReader.Read(new StringReader(text), "t").Trace.SpanS, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a,b,c\n1,2,3\n")]
    [InlineData("TIMESTAMP,ContextTokens,GeneratedTokens\n")]
    [InlineData("TIMESTAMP,ContextTokens,GeneratedTokens\n,,\n\u0000\u0001,9999999999999,1\n")]
    public void BadFiles_GiveAnError_NeverACrash(string text) =>
        Assert.Throws<InvalidDataException>(() => AzureLlmTraceReader.Read(new StringReader(text), "t", MalformedRowPolicy.SkipRows));
}
