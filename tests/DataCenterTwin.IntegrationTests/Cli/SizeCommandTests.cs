namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary><c>dctwin size</c> on the real program: its bounds' errors and what it says when the bound is reached.</summary>
public class SizeCommandTests
{
    private static readonly string Quick = Repository.Path("scenarios/quick.yaml");

    [Theory]
    [InlineData("--from", "-5", "--from -5: the first value must be 0 or more")]
    [InlineData("--to", "0", "--to 0: the largest value to try must not be below --from 1")]
    public void BadBounds_Exit2_WithOneLine_BeforeAnyRun(string option, string value, string expected)
    {
        var (code, output, error) = Dctwin.Run(Repository.Root, "size", Quick, "--grow", "hall.pools[0].racks", "--until", "accelerators > 100", option, value);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: " + expected, error.Trim());
    }

    // quick's chillers carry 200 kW, 80 % of 8 racks' 253 kW design load is more: the answer is 7 racks, and why.
    [Fact]
    public void AValueAtWhichTheScenarioIsInvalid_EndsTheSearch_AndTheAnswerSaysWhy()
    {
        var (code, output, error) = Dctwin.Run(Repository.Root, "size", Quick, "--grow", "hall.pools[0].racks", "--until", "accelerators > 1000000",
            "--set", "run.horizon=10 min");

        Assert.True(code == 0, error);
        Assert.Contains("  hall.pools[0].racks = 8: the scenario is invalid (cooling.chillers: the chillers carry 200 kW", output, StringComparison.Ordinal);
        Assert.Contains("hall.pools[0].racks = 7 is the largest value with \"accelerators > 1000000\" false: at 8 the scenario is invalid (cooling.chillers: ", output, StringComparison.Ordinal);
    }

    // A DGX-H100 rack holds 32 accelerators, so "accelerators > 100" first holds at 4 racks: with --to 2
    // the search ends at its bound, and says so rather than calling 2 the largest value.
    [Fact]
    public void ReachingTheBound_SaysSo()
    {
        var (code, output, error) = Dctwin.Run(Repository.Root, "size", Quick, "--grow", "hall.pools[0].racks", "--until", "accelerators > 100",
            "--to", "2", "--set", "run.horizon=10 min");

        Assert.True(code == 0, error);
        Assert.Contains("hall.pools[0].racks = 2, the largest value asked for (--to), still has \"accelerators > 100\" false", output, StringComparison.Ordinal);
        Assert.DoesNotContain("= 3:", output, StringComparison.Ordinal);
    }
}
