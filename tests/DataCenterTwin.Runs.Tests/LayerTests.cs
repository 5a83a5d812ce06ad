using System.Reflection;
using System.Xml.Linq;

namespace DataCenterTwin.Runs.Tests;

/// <summary>
/// Each assembly references only the layers below it (DESIGN.md, "Layout"): Kernel nothing of ours,
/// Model only Kernel, Traces, Scenarios and Render on Model, Runs on those, the front ends
/// (Calibration, Sweeps, Service) on Runs and below but not on each other, the CLI on everything.
/// Checked twice: in every project file under src/ (what the build may use), and in the compiled
/// assemblies' metadata (what the code does use).
/// </summary>
public class LayerTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["DataCenterTwin.Kernel"] = [],
        ["DataCenterTwin.Model"] = ["DataCenterTwin.Kernel"],
        ["DataCenterTwin.Traces"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model"],

        // Scenarios reads EPW weather and request traces through Traces' importers.
        ["DataCenterTwin.Scenarios"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces"],
        ["DataCenterTwin.Render"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model"],
        ["DataCenterTwin.Runs"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces", "DataCenterTwin.Scenarios", "DataCenterTwin.Render"],
        ["DataCenterTwin.Calibration"] = [.. BelowFrontEnds()],
        ["DataCenterTwin.Sweeps"] = [.. BelowFrontEnds()],
        ["DataCenterTwin.Service"] = [.. BelowFrontEnds()],
        ["DataCenterTwin.Cli"] = [.. BelowFrontEnds(), "DataCenterTwin.Calibration", "DataCenterTwin.Sweeps", "DataCenterTwin.Service"],
    };

    private static IEnumerable<string> BelowFrontEnds() =>
        ["DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces", "DataCenterTwin.Scenarios", "DataCenterTwin.Render", "DataCenterTwin.Runs"];

    /// <summary>The references of <paramref name="project"/> that break the layering, each with why; empty when it keeps to it.</summary>
    internal static List<string> Violations(string project, IEnumerable<string> references)
    {
        if (!Allowed.TryGetValue(project, out var allowed))
        {
            return [$"{project} is not in the layer table: add it with the layers it may use"];
        }

        return [.. references
            .Where(r => r.StartsWith("DataCenterTwin.", StringComparison.Ordinal) && r != project && !allowed.Contains(r, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(r => $"{project} references {r}, which is not below it")];
    }

    [Fact]
    public void Every_project_file_references_only_layers_below_it()
    {
        var projects = Directory.GetFiles(Repo.Path("src"), "*.csproj", SearchOption.AllDirectories);
        Assert.True(projects.Length >= Allowed.Count, $"found {projects.Length} projects under src/");
        var wrong = new List<string>();
        foreach (string file in projects)
        {
            var references = XDocument.Load(file).Descendants("ProjectReference")
                .Select(p => Path.GetFileNameWithoutExtension(p.Attribute("Include")!.Value.Replace('\\', '/')));
            wrong.AddRange(Violations(Path.GetFileNameWithoutExtension(file), references));
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Each_assembly_references_only_layers_below_it()
    {
        // The layers this test project loads; the front ends are checked through their project files.
        foreach (string layer in new[] { "DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces", "DataCenterTwin.Scenarios", "DataCenterTwin.Render", "DataCenterTwin.Runs" })
        {
            var references = Assembly.Load(layer).GetReferencedAssemblies().Select(a => a.Name!).ToList();
            Assert.DoesNotContain("dctwin", references);
            var wrong = Violations(layer, references);
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }
    }

    [Theory]
    [InlineData("DataCenterTwin.Kernel", "DataCenterTwin.Model")]
    [InlineData("DataCenterTwin.Model", "DataCenterTwin.Scenarios")]
    [InlineData("DataCenterTwin.Model", "DataCenterTwin.Traces")]
    [InlineData("DataCenterTwin.Render", "DataCenterTwin.Runs")]
    [InlineData("DataCenterTwin.Runs", "DataCenterTwin.Service")]
    [InlineData("DataCenterTwin.Service", "DataCenterTwin.Sweeps")]
    [InlineData("DataCenterTwin.Sweeps", "DataCenterTwin.Cli")]
    public void A_reference_upwards_or_sideways_is_a_violation(string project, string reference)
    {
        var wrong = Assert.Single(Violations(project, ["DataCenterTwin.Kernel", reference, "System.Runtime"]));
        Assert.Equal($"{project} references {reference}, which is not below it", wrong);
    }

    [Fact]
    public void A_project_missing_from_the_table_is_a_violation()
    {
        Assert.Contains("DataCenterTwin.Reports is not in the layer table", Assert.Single(Violations("DataCenterTwin.Reports", [])), StringComparison.Ordinal);
        Assert.Empty(Violations("DataCenterTwin.Cli", [.. Allowed.Keys.Where(k => k != "DataCenterTwin.Cli")]));
    }

    [Fact]
    public void Kernel_and_model_know_no_files_formats_or_transports()
    {
        string[] banned = ["Parquet", "YamlDotNet", "Grpc", "Google.Protobuf", "OpenTK", "Silk.NET", "DuckDB"];
        foreach (string layer in new[] { "DataCenterTwin.Kernel", "DataCenterTwin.Model" })
        {
            var refs = Assembly.Load(layer).GetReferencedAssemblies().Select(a => a.Name!).ToList();
            Assert.DoesNotContain(refs, r => banned.Any(b => r.StartsWith(b, StringComparison.Ordinal)));
        }
    }
}
