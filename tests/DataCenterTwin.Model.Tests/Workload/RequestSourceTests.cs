using DataCenterTwin.Kernel;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Tests.Compute;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Workload;

// A source whose process carries no tokens draws the counts of its next requests ahead. Every
// request must still get the counts that drawing one request at a time gives: prompt then output,
// per request and per copy of a scaled arrival, from the source's own stream.
public class RequestSourceTests
{
    public static TheoryData<string, double> Cases => new()
    {
        { "empirical", 1 },
        { "empirical", 2.5 },
        { "empirical", 0.6 },
        { "mixed", 1.7 },
        { "lognormal-fixed", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TokenCounts_AreThoseDrawnOneRequestAtATime(string tokens, double rateScale)
    {
        var samples = new RandomStreams(5).For("samples");
        var prompts = Enumerable.Range(0, 3000).Select(_ => 1 + (int)(samples.NextDouble() * 2000)).ToArray();
        var outputs = Enumerable.Range(0, 1000).Select(_ => 1 + (int)(samples.NextDouble() * 400)).ToArray();
        var prompt = tokens == "lognormal-fixed" ? TokenDistribution.LogNormal(600, 1, 4000) : TokenDistribution.Empirical(prompts);
        var output = tokens switch
        {
            "empirical" => TokenDistribution.Empirical(outputs),
            "mixed" => TokenDistribution.LogNormal(100, 1, 1500),
            _ => TokenDistribution.Fixed(64),
        };

        var sim = new Simulator(11);
        var sink = new ListSink();
        var cls = new RequestClass("chat", "llama2-70b", prompt, output, new SloSpec());
        var hall = TestHardware.Hall(sim, TestHardware.Pool(racks: 2, serversPerRack: 2), cls, sink);
        var source = new RequestSource(sim, hall, "chat", new PoissonArrivals(200, sim.Random.For("a")), "src", SimTime.FromSeconds(120))
        {
            RateScale = rateScale,
        };
        sim.Run();

        // More requests than two chunks drawn ahead, so refills are crossed.
        Assert.InRange(source.Submitted, 2 * DrawnAhead.Chunk, 80_000);
        Assert.Equal(source.Submitted, sink.Records.Count);
        var reference = new RandomStreams(11).For("src/tokens");
        foreach (var r in sink.Records.OrderBy(r => r.Id))
        {
            Assert.Equal(prompt.Sample(reference), r.PromptTokens);
            Assert.Equal(output.Sample(reference), r.OutputTokens);
        }
    }
}
