namespace DataCenterTwin.Sweeps.Tests;

/// <summary>Capacity search against answers worked by hand.</summary>
public class CapacitySearchTests
{
    // A DGX-H100 rack holds 4 servers of 8 accelerators: 32 a rack. "accelerators > 100" first holds at
    // 4 racks (128); the answer is 3 racks (96).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RackCount_LargestBelowTheConditionFoundExactly(int workers)
    {
        var answer = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", 1, null,
            StopCondition.Parse("accelerators > 100"), workers, SweepTestFiles.Assets);
        Assert.Equal(3, answer.Largest);
        Assert.Contains(answer.Probes, p => p.Value == 4 && p.Stopped);
    }

    [Fact]
    public void StartAlreadyStopping_HasNoAnswer()
    {
        var answer = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", 2, null,
            StopCondition.Parse("accelerators >= 64"), 1, SweepTestFiles.Assets);
        Assert.Null(answer.Largest);
    }

    [Theory]
    [InlineData("a > 1 or b < 2 and c == 3", 2.0, 5.0, 4.0, true)]
    [InlineData("(a > 1 or b < 2) and c == 3", 0.0, 1.0, 4.0, false)]
    [InlineData("a >= 1 and b != 2", 1.0, 3.0, 0.0, true)]
    public void Condition_OrBindsLooserThanAnd(string text, double a, double b, double c, bool expected)
    {
        var figures = new Dictionary<string, double> { ["a"] = a, ["b"] = b, ["c"] = c };
        Assert.Equal(expected, StopCondition.Parse(text).Holds(k => figures[k]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("slo_attainment <")]
    [InlineData("slo_attainment ~ 0.9")]
    [InlineData("(a > 1")]
    [InlineData("a > 1 b")]
    public void BadCondition_IsRefused(string text) => Assert.Throws<FormatException>(() => StopCondition.Parse(text));

    [Fact]
    public void ConditionOnAnUnknownFigure_NamesIt()
    {
        var ex = Assert.Throws<InvalidDataException>(() => CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" },
            "hall.pools[0].racks", 1, 2, StopCondition.Parse("no_such_figure > 0"), 1, SweepTestFiles.Assets));
        Assert.Contains("no_such_figure", ex.Message, StringComparison.Ordinal);
    }
}
