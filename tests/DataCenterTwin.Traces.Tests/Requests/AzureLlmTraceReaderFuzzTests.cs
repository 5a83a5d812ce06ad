using FsCheck.Xunit;
using DataCenterTwin.Traces.Requests;

namespace DataCenterTwin.Traces.Tests.Requests;

public class AzureLlmTraceReaderFuzzTests
{
    private const string Header = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

    private static bool ReadsOrRefuses(string text, MalformedRowPolicy policy)
    {
        try
        {
            var r = AzureLlmTraceReader.Read(new StringReader(text), "fuzz", policy);
            return r.Trace.Count > 0 && r.SkippedRows >= 0;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    [Property(MaxTest = 500)]
    public bool RandomText_GivesATraceOrAnError_NeverACrash(string? body, bool skip) =>
        ReadsOrRefuses(Header + body, skip ? MalformedRowPolicy.SkipRows : MalformedRowPolicy.RefuseFile);

    [Property(MaxTest = 500)]
    public bool RandomRows_OfPlausibleFields_GiveATraceOrAnError(int[] numbers, bool skip)
    {
        var rows = (numbers ?? []).Select((n, i) => $"2023-11-16 18:{i % 60:00}:{Math.Abs(n) % 60:00}.{Math.Abs(n) % 1000:000},{n},{n / 3}");
        return ReadsOrRefuses(Header + string.Join('\n', rows), skip ? MalformedRowPolicy.SkipRows : MalformedRowPolicy.RefuseFile);
    }
}
