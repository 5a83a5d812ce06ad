using DataCenterTwin.Model.Topology;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Render.Tests;

/// <summary>
/// One renderer for the pixel tests, over the topology of scenarios/quick.yaml (four racks in one
/// row, a hybrid and an electric chiller). Without EGL the constructor throws and every test using
/// it fails with the renderer's message (what to install): pixel tests never skip.
/// </summary>
public sealed class RendererFixture : IDisposable
{
    private readonly Lazy<HallRenderer> _renderer;

    public RendererFixture()
    {
        var (spec, errors) = ScenarioLoader.Load(Path.Combine(AssetPaths.FindAssetsDirectory()!, "..", "scenarios", "quick.yaml"), AssetPaths.FindAssetsDirectory());
        Spec = spec ?? throw new InvalidOperationException(string.Join("\n", errors));
        Topology = TwinBuilder.Topology(Spec);
        _renderer = new Lazy<HallRenderer>(() => new HallRenderer(Topology));
    }

    public ScenarioSpec Spec { get; }

    public HallTopology Topology { get; }

    public HallRenderer Renderer => _renderer.Value;

    public void Dispose()
    {
        if (_renderer.IsValueCreated)
        {
            _renderer.Value.Dispose();
        }
    }

    /// <summary>A state with every rack at <paramref name="inletC"/> but those given, chillers as given (default electric at half load).</summary>
    public HallViewState State(double inletC = 22, IReadOnlyDictionary<int, double>? hot = null, ChillerMode[]? modes = null)
    {
        var racks = Topology.Racks.Select(r => new RackView(hot is not null && hot.TryGetValue(r.Index, out double c) ? c : inletC, r.DesignPowerW * 0.6, 0.6, 1, 0));
        var chillers = Topology.Chillers.Select(c => new ChillerView(modes?[c.Index] ?? ChillerMode.Electric, 0.5));
        var cdus = Topology.Cdus.Select(_ => new CduView(16, 26));
        return new HallViewState(3600, new DateTime(2026, 7, 15, 15, 0, 0), racks, chillers, cdus, 14, 22,
            new FacilityView(150_000, 120_000, 150_000, 200_000, 20_000, 0.25, 31));
    }
}
