using Xunit.Abstractions;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>The reference scenarios run as they stand and give physically sensible books.</summary>
public class ReferenceScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("quick.yaml")]
    [InlineData("metro-inference.yaml")]
    [InlineData("training-nvl72.yaml")]
    [InlineData("aircooled-retrofit.yaml")]
    public void ReferenceScenario_RunsTwoDaysAtASensiblePue(string file)
    {
        var spec = TwinBuilderTests.Load(file, new Dictionary<string, string> { ["run.horizon"] = "2 d" });
        Assert.False(string.IsNullOrWhiteSpace(spec.Description));
        var built = TwinBuilder.Build(spec, spec.Run.Fidelity);
        built.Twin.RunUntil(spec.Run.Horizon);
        var l = built.Twin.Ledger;
        double pue = l.TotalJ / l.ItJ;
        output.WriteLine($"{file}: IT {l.ItJ / 3.6e6:F0} kWh, PUE {pue:F3}");

        // Modern liquid-cooled halls run near 1.1–1.2; an air-cooled hall on air-cooled chillers in
        // a Florida August near 1.4–1.5 (Uptime Institute's 2023 survey average is 1.58).
        Assert.InRange(pue, 1.1, 1.6);
        Assert.Equal(2 * 86_400, l.Seconds, 6);
    }
}
