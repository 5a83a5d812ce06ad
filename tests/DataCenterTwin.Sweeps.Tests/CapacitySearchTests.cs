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

    // "accelerators > 100" holds from 4 racks: bounded at 2, the search stops there; bounded at the
    // start, it runs the start alone (it used to take a bound equal to the start as no bound at all).
    [Theory]
    [InlineData(1, 2, 2, 2)]
    [InlineData(2, 2, 2, 2)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    public void UpperBound_IsNeverPassed(int workers, long start, long upper, long expected)
    {
        var answer = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", start, upper,
            StopCondition.Parse("accelerators > 100"), workers, SweepTestFiles.Assets);
        Assert.Equal(expected, answer.Largest);
        Assert.All(answer.Probes, p => Assert.InRange(p.Value, start, upper));
    }

    // quick's two chillers carry 200 kW and a scenario needs them to carry 80 % of the hall's design IT
    // load; a rack is 31.6 kW at design (126.5 kW for 4), so 7 racks (221 kW, 80 %: 177 kW) load them
    // and 8 (253 kW, 80 %: 202 kW) are refused. A condition that never holds then stops at 8.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InvalidAboveTheStart_StopsTheSearch_AndSaysWhy(int workers)
    {
        var answer = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", 1, null,
            StopCondition.Parse("accelerators > 1000000"), workers, SweepTestFiles.Assets);
        Assert.Equal(7, answer.Largest);
        var refused = Assert.Single(answer.Probes, p => p.Value == 8);
        Assert.True(refused.Stopped);
        Assert.Null(refused.Summary);
        Assert.StartsWith("cooling.chillers: the chillers carry 200 kW, less than 80 % of the hall's 253 kW design IT load", refused.InvalidBecause, StringComparison.Ordinal);
        Assert.All(answer.Probes.Where(p => p.Value <= 7), p => Assert.Null(p.InvalidBecause));
    }

    [Fact]
    public void InvalidAtTheStart_IsAnError() =>
        Assert.Throws<InvalidDataException>(() => CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" },
            "hall.pools[0].racks", 8, null, StopCondition.Parse("accelerators > 1000000"), 1, SweepTestFiles.Assets));

    [Fact]
    public void UpperBoundBelowTheStart_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string>(), "hall.pools[0].racks", 3, 2,
            StopCondition.Parse("accelerators > 100"), 1, SweepTestFiles.Assets));

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

    // --per-unit, worked by hand. Racks grow from 1; the interconnect grows with them at 32.5 kW a
    // rack and the chat traffic at 0.25 /s a rack. "grid_cap_kw > 130" first holds at 5 racks
    // (5 × 32.5 = 162.5 kW; 4 racks give exactly 130.0, which does not exceed it), so the answer is 4
    // racks. In each probe the summary reports the scaled values: 32.5 kW × racks converted to W and
    // back, and 128 accelerators at 4 racks (32 a DGX-H100 rack). Without --per-unit the cap stays at
    // the scenario's 200 kW and the same condition holds from the first rack.
    [Fact]
    public void PerUnit_GrowsTheOtherPathsWithTheGrownOne()
    {
        var perUnit = new Dictionary<string, string>
        {
            ["site.grid.capacity"] = "32.5 kW",
            ["workload.classes[0].arrivals.rate"] = "0.25 /s",
        };
        var answer = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", 1, 8,
            StopCondition.Parse("grid_cap_kw > 130"), 2, SweepTestFiles.Assets, perUnit);
        Assert.Equal(4, answer.Largest);
        foreach (var p in answer.Probes)
        {
            Assert.Equal(32.5 * p.Value, p.Summary!["grid_cap_kw"]!.Value, 9);
            Assert.Equal(32 * p.Value, p.Summary!["accelerators"]);
            Assert.Equal(p.Value > 4, p.Stopped);
        }

        var unscaled = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", 1, 8,
            StopCondition.Parse("grid_cap_kw > 130"), 1, SweepTestFiles.Assets);
        Assert.Null(unscaled.Largest);
    }

    [Fact]
    public void PerUnit_WithoutANumber_IsRefusedNamingThePath()
    {
        var ex = Assert.Throws<InvalidDataException>(() => CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" },
            "hall.pools[0].racks", 1, 2, StopCondition.Parse("accelerators > 100"), 1, SweepTestFiles.Assets,
            new Dictionary<string, string> { ["site.grid.capacity"] = "lots kW" }));
        Assert.Contains("site.grid.capacity", ex.Message, StringComparison.Ordinal);
    }

    // Early stop: "accelerators > 100" is decided by the rack count before the first minute of the
    // run, and accelerators never fall, so a stopping probe ends at its first check (60 s of a 10 min
    // horizon) while a holding one runs to the horizon. The answer is the same as without checks.
    [Fact]
    public void StoppingProbe_EndsAtTheFirstCheckThatDecidesIt()
    {
        var answer = CapacitySearch.Run(SweepTestFiles.Quick, new Dictionary<string, string> { ["run.horizon"] = "10 min" }, "hall.pools[0].racks", 1, null,
            StopCondition.Parse("accelerators > 100"), 1, SweepTestFiles.Assets, checkEvery: Kernel.SimTime.FromSeconds(60));
        Assert.Equal(3, answer.Largest);
        foreach (var p in answer.Probes)
        {
            Assert.Equal(p.Value > 3 ? 60.0 : null, p.EndedEarlyAtS);
            Assert.True(p.Value > 3 ? p.Summary!["sim_s"] < 600 : p.Summary!["sim_s"] == 600, $"{p.Value} racks ran {p.Summary!["sim_s"]} s");
        }
    }

    [Theory]
    [InlineData("seconds_over_grid_cap > 0 or slo_attainment < 0.99", 30.0, true)]
    [InlineData("seconds_over_grid_cap > 0 or slo_attainment < 0.99", 0.0, false)]
    [InlineData("seconds_over_grid_cap > 0 and slo_attainment < 0.99", 30.0, false)]
    [InlineData("seconds_over_grid_cap < 60", 30.0, false)]
    [InlineData("seconds_over_grid_cap >= 30", 30.0, true)]
    public void SureToHold_OnlyFromALowerBoundAFigureThatNeverFallsHasPassed(string text, double overS, bool expected)
    {
        // slo_attainment can still move either way, so it never decides alone.
        double? Rising(string key) => key == "seconds_over_grid_cap" ? overS : null;
        Assert.Equal(expected, StopCondition.Parse(text).SureToHold(Rising));
    }
}
