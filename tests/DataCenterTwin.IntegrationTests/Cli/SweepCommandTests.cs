using System.Text.RegularExpressions;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary><c>dctwin sweep</c> on the real program: its progress in order before its summary, and a rerun that skips what is done.</summary>
public class SweepCommandTests
{
    [Fact]
    public void Progress_CountsUpInOrder_BeforeTheSummary_AndARerunSkipsEveryVariant()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-sweep").FullName;
        string file = Path.Combine(dir, "sweep.yaml");
        File.WriteAllText(file, $"""
            name: order
            base: {Repository.Path("scenarios/quick.yaml")}
            fixed:
              run.horizon: 10 min
            grid:
              control.policy: [electric-first, capacity-unlock]
            seeds: 8
            """);

        // Workers report from their own threads, a variant every few milliseconds here.
        var (code, output, error) = Dctwin.Run(dir, "sweep", file, "--out", "out", "--workers", "2");
        Assert.True(code == 0, error);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order: 16 variants on 2 workers", lines[0]);
        var counts = lines.Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => int.Parse(Regex.Match(l, @"^  (\d+)/16 done").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Enumerable.Range(1, 16), counts);
        Assert.StartsWith("16 run, 0 already done, 0 failed; rows in ", lines[17], StringComparison.Ordinal);
        Assert.StartsWith("report: ", lines[18], StringComparison.Ordinal);

        var again = Dctwin.Run(dir, "sweep", file, "--out", "out", "--workers", "2");
        Assert.Contains("0 run, 16 already done, 0 failed", again.Output, StringComparison.Ordinal);
    }
}
