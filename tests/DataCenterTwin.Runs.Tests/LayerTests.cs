using System.Reflection;

namespace DataCenterTwin.Runs.Tests;

/// <summary>Each assembly references only the layers below it: Kernel nothing, Model only Kernel, and so on up.</summary>
public class LayerTests
{
    private static readonly string[] Layers = ["DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces", "DataCenterTwin.Scenarios", "DataCenterTwin.Render", "DataCenterTwin.Runs"];

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["DataCenterTwin.Kernel"] = [],
        ["DataCenterTwin.Model"] = ["DataCenterTwin.Kernel"],
        ["DataCenterTwin.Traces"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model"],
        ["DataCenterTwin.Scenarios"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces"],
        ["DataCenterTwin.Render"] = ["DataCenterTwin.Model"],
        ["DataCenterTwin.Runs"] = ["DataCenterTwin.Kernel", "DataCenterTwin.Model", "DataCenterTwin.Traces", "DataCenterTwin.Scenarios", "DataCenterTwin.Render"],
    };

    [Fact]
    public void Each_assembly_references_only_layers_below_it()
    {
        foreach (string layer in Layers)
        {
            var asm = Assembly.Load(layer);
            var ours = asm.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("DataCenterTwin.", StringComparison.Ordinal) || n == "dctwin").ToList();
            var wrong = ours.Except(Allowed[layer]).ToList();
            Assert.True(wrong.Count == 0, $"{layer} references {string.Join(", ", wrong)}, above or beside it");
        }
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
