namespace DataCenterTwin.IntegrationTests.Economics;

/// <summary>Tokens and their price in a whole run's summary, against a hall-day worked by hand.</summary>
public sealed class PerTokenTests
{
    // The quick hall at a steady 2 requests/s for a day, every request 1,024 prompt and 256 output
    // tokens (cv 0), sold at 2 USD per million output tokens, far below the hall's capacity so every
    // request is served within the day:
    //   output tokens  2 /s × 86,400 s × 256   =  44,236,800
    //   prompt tokens  2 /s × 86,400 s × 1,024 = 176,947,200
    //   revenue        44,236,800 × 2e-6 USD   =      88.47 USD
    [Fact]
    public void SteadyHallDay_TokensAndRevenueWorkedByHand()
    {
        string quick = File.ReadAllText(Repository.Path("scenarios/quick.yaml"));
        string yaml = quick
            .Replace("prompt_tokens: { mean: 1024, cv: 0.8, max: 8192 }", "prompt_tokens: { mean: 1024, cv: 0 }", StringComparison.Ordinal)
            .Replace("output_tokens: { mean: 256, cv: 0.8, max: 2048 }", "output_tokens: { mean: 256, cv: 0 }", StringComparison.Ordinal)
            .Replace("process: diurnal", "process: poisson", StringComparison.Ordinal)
            + "\neconomics:\n  price: 2 USD/Mtok\n";
        string dir = Directory.CreateTempSubdirectory("dctwin-tokens").FullName;
        string path = Path.Combine(dir, "steady.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            var (folder, s) = Repository.Run(path, "1 d", "fluid");
            // The backlog left at midnight is under a second of arrivals: 0.01 % of the day.
            Assert.Equal(44_236_800, (double)s["tokens_output"]!, 44_236_800 * 1e-4);
            Assert.Equal(176_947_200, (double)s["tokens_prompt"]!, 176_947_200 * 1e-4);
            Assert.Equal(88.47, (double)s["revenue"]!, 0.01);
            Assert.True((double)s["tco_npv"]! > (double)s["capex"]!);
            Directory.Delete(folder, recursive: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
