using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>
/// The command line's contract, on the real program: exit codes 0 (success), 2 (invalid input,
/// nothing run) and 1 (a failure during the run), one or two lines for a failure and never a
/// stack trace unless --verbose asks, summary.json's keys and units, a self-contained report,
/// compare and validate output.
/// </summary>
public partial class CommandLineContractTests
{
    private static readonly string Quick = Repository.Path("scenarios/quick.yaml");

    private static string Scratch() => Directory.CreateTempSubdirectory("dctwin-cli").FullName;

    private static void NoStackTrace(string error)
    {
        Assert.DoesNotMatch(StackFrame(), error);
        Assert.InRange(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 1, 2);
    }

    [Fact]
    public void Run_Succeeds_WithSummaryKeysAndUnits_AndASelfContainedReport()
    {
        string dir = Scratch();
        var (code, output, error) = Dctwin.Run(dir, "run", Quick, "--horizon", "6 h", "--out", "r");
        Assert.True(code == 0, error);
        Assert.Contains("run folder: r", output, StringComparison.Ordinal);
        string folder = Path.Combine(dir, "r");
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
        var units = summary["units"]!.AsObject();
        var expected = new Dictionary<string, string>
        {
            ["sim_s"] = "s", ["wall_s"] = "s", ["pue"] = "1", ["energy_it_kwh"] = "kWh", ["energy_cooling_kwh"] = "kWh",
            ["energy_total_kwh"] = "kWh", ["gas_kwh"] = "kWh", ["peak_grid_kw"] = "kW", ["grid_cap_kw"] = "kW",
            ["freed_capacity_peak_kw"] = "kW", ["freed_capacity_kwh"] = "kWh", ["co2_kg"] = "kg", ["throttled_accel_hours"] = "h",
            ["slo_attainment"] = "1",
        };
        foreach (var (key, unit) in expected)
        {
            Assert.True(summary.ContainsKey(key), key);
            Assert.Equal(unit, (string?)units[key]);
        }

        foreach (string key in new[] { "cost", "requests_completed", "requests_rejected", "events", "scenario_hash", "seed" })
        {
            Assert.True(summary.ContainsKey(key), key);
        }

        // Every number in the summary says its unit.
        var unitless = summary.Where(kv => kv.Value is JsonValue v && v.TryGetValue(out double _) && !units.ContainsKey(kv.Key) && kv.Key != "seed").Select(kv => kv.Key).ToList();
        Assert.True(unitless.Count == 0, "numbers without a unit: " + string.Join(", ", unitless));
        Assert.Equal(6 * 3600.0, (double)summary["sim_s"]!);
        double it = (double)summary["energy_it_kwh"]!, cooling = (double)summary["energy_cooling_kwh"]!;
        double losses = (double)summary["energy_losses_kwh"]!, other = (double)summary["energy_other_kwh"]!, total = (double)summary["energy_total_kwh"]!;
        Assert.Equal(total, it + cooling + losses + other, 3);
        Assert.Equal(total / it, (double)summary["pue"]!, 5);

        string report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.StartsWith("<!DOCTYPE html>", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg", report, StringComparison.Ordinal);
        Assert.DoesNotMatch(NetworkReference(), report);
        Assert.True(File.Exists(Path.Combine(folder, "scenario.resolved.yaml")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "facility"), "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public void InvalidScenario_Exits2_WithEveryErrorInPlace_AndRunsNothing()
    {
        string dir = Scratch();
        File.WriteAllText(Path.Combine(dir, "bad.yaml"), File.ReadAllText(Quick).Replace("capacity: 200 kW", "capacity: 200", StringComparison.Ordinal)
            .Replace("racks: 4", "racks: four", StringComparison.Ordinal));
        var (code, _, error) = Dctwin.Run(dir, "run", "bad.yaml", "--out", "r");
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(Path.Combine(dir, "r")));
        Assert.Matches(@"error: .*bad\.yaml:\d+:\d+: site\.grid\.capacity: ", error);
        Assert.Matches(@"error: .*bad\.yaml:\d+:\d+: hall\.pools\[0\]\.racks: ", error);
        Assert.Contains("nothing was run", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackFrame(), error);

        var validate = Dctwin.Run(dir, "validate", "bad.yaml");
        Assert.Equal(2, validate.Code);
        Assert.Equal(error.Split('\n').Count(l => l.StartsWith("error: ", StringComparison.Ordinal)),
            validate.Error.Split('\n').Count(l => l.StartsWith("error: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Validate_Exits0_AndSaysWhatTheScenarioIs()
    {
        var (code, output, error) = Dctwin.Run(Scratch(), "validate", Quick);
        Assert.True(code == 0, error);
        Assert.Matches(@"quick\.yaml: valid: quick, 4 racks \(\d+ kW IT at design\), 2 chillers, 1 request class, 0 events, horizon 1d 00:00:00\.000, fluid level", output);
    }

    [Theory]
    [InlineData("run", "--no-such-option")]
    [InlineData("no-such-command")]
    [InlineData("run")]
    public void BadArguments_Exit2(params string[] args)
    {
        var (code, _, error) = Dctwin.Run(Scratch(), args);
        Assert.Equal(2, code);
        Assert.DoesNotMatch(StackFrame(), error);
    }

    // A value not of its option's type: the option, the value and what was expected, in one line.
    [Theory]
    [InlineData("--threads abc", "error: --threads abc: expected a whole number")]
    [InlineData("--horizon", "error: Required argument missing for option: '--horizon'.")]
    public void OptionValueOfTheWrongType_Exits2_SayingWhichAndWhat(string arguments, string expected)
    {
        var (code, output, error) = Dctwin.Run(Scratch(), ["run", Quick, .. arguments.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error.Trim());
    }

    [Fact]
    public void BenchHours_NotANumber_Exits2_SayingSo()
    {
        var (code, _, error) = Dctwin.Run(Scratch(), "bench", "requests", "--hours", "one");

        Assert.Equal(2, code);
        Assert.Equal("error: --hours one: expected a number", error.Trim());
    }

    [Fact]
    public void UnwritableOutputFolder_Exits2_WithOneLine()
    {
        // /proc refuses new entries even to root; a read-only mount would too.
        var (code, _, error) = Dctwin.Run(Scratch(), "run", Quick, "--horizon", "1 h", "--out", "/proc/dctwin-test/run");
        Assert.Equal(2, code);
        Assert.Contains("cannot write the run folder /proc/dctwin-test/run", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotMatch(StackFrame(), error);
    }

    [Theory]
    [InlineData("summary.json.tmp", false)]
    [InlineData("facility/facility.parquet.tmp", false)]
    [InlineData("summary.json.tmp", true)]
    public void FullDisk_Exits1_AndLeavesNoHalfWrittenFile(string fullFile, bool verbose)
    {
        // A file the run writes under its temporary name is /dev/full: every write to it fails
        // with ENOSPC, as on a full disk, at that point of the run.
        Assert.True(File.Exists("/dev/full"), "needs Linux's /dev/full");
        string dir = Scratch();
        string full = Path.Combine(dir, "r", fullFile);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, "/dev/full");
        var (code, _, error) = verbose
            ? Dctwin.Run(dir, "run", Quick, "--horizon", "2 h", "--out", "r", "--quiet", "--verbose")
            : Dctwin.Run(dir, "run", Quick, "--horizon", "2 h", "--out", "r", "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("No space left on device", error, StringComparison.Ordinal);
        if (verbose)
        {
            Assert.Matches(StackFrame(), error);
        }
        else
        {
            NoStackTrace(error);
        }

        string final = full[..^".tmp".Length];
        Assert.False(File.Exists(final), final);
        Assert.False(File.Exists(Path.Combine(dir, "r", "summary.json")));
        Assert.False(File.Exists(Path.Combine(dir, "r", "report.html")));

        // Whatever has a final name is whole: Parquet files begin and end with their magic.
        foreach (string parquet in Directory.GetFiles(Path.Combine(dir, "r"), "*.parquet", SearchOption.AllDirectories))
        {
            byte[] bytes = File.ReadAllBytes(parquet);
            Assert.True(bytes.Length > 8 && bytes.AsSpan(0, 4).SequenceEqual("PAR1"u8) && bytes.AsSpan(bytes.Length - 4).SequenceEqual("PAR1"u8), parquet);
        }
    }

    [Fact]
    public void Compare_PrintsEachMetricOfBothRuns_AndTheChange()
    {
        string dir = Scratch();
        Assert.Equal(0, Dctwin.Run(dir, "run", Quick, "--horizon", "2 h", "--out", "a", "--no-traces", "--quiet").Code);
        Assert.Equal(0, Dctwin.Run(dir, "run", Quick, "--horizon", "4 h", "--out", "b", "--no-traces", "--quiet").Code);
        var (code, output, error) = Dctwin.Run(dir, "compare", "a", "b");
        Assert.True(code == 0, error);
        var sim = output.Split('\n').Single(l => l.StartsWith("sim_s ", StringComparison.Ordinal));
        Assert.Matches(@"^sim_s\s+s\s+7,200\s+14,400\s+7,200\s+\+100\.0%", sim);
        double a = (double)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "a", "summary.json")))!["energy_it_kwh"]!;
        var it = output.Split('\n').Single(l => l.StartsWith("energy_it_kwh ", StringComparison.Ordinal));
        Assert.Contains(a.ToString("N0", CultureInfo.InvariantCulture), it, StringComparison.Ordinal);

        var missing = Dctwin.Run(dir, "compare", "a", "no-such-run");
        Assert.Equal(2, missing.Code);
        Assert.Contains("no-such-run", missing.Error, StringComparison.Ordinal);
        NoStackTrace(missing.Error);
    }

    [Fact]
    public void New_WritesAStarterScenarioWithTheSchemaLine_ThatRuns()
    {
        string dir = Scratch();
        var (code, _, error) = Dctwin.Run(dir, "new", "my-hall", "--from", "metro");
        Assert.True(code == 0, error);
        string text = File.ReadAllText(Path.Combine(dir, "my-hall.yaml"));
        Assert.StartsWith("# yaml-language-server: $schema=schema/scenario.schema.json", text, StringComparison.Ordinal);
        Assert.Contains("\nname: my-hall\n", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "schema", "scenario.schema.json")));
        Assert.Equal(0, Dctwin.Run(dir, "validate", "my-hall.yaml").Code);
        Assert.Equal(2, Dctwin.Run(dir, "new", "my-hall").Code);
        Assert.Equal(2, Dctwin.Run(dir, "new", "other", "--from", "no-such-scenario").Code);
    }

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    // A reference the browser would fetch: src/href to a URL, CSS url() or @import, a script or stylesheet link.
    [GeneratedRegex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//|url\(\s*[""']?(https?:)?//|@import|<script[^>]+src|<link", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkReference();
}
