namespace DataCenterTwin.Model.Topology;

/// <summary>A rack's enclosure, from the hardware catalog.</summary>
/// <param name="Template">Catalog rack template (<c>GB200-NVL72</c>).</param>
/// <param name="WidthM">Width across the front, m.</param>
/// <param name="DepthM">Depth front to back, m.</param>
/// <param name="HeightM">Height, m.</param>
public sealed record RackBody(string Template, double WidthM, double DepthM, double HeightM)
{
    /// <summary>
    /// A rack with no size in its catalog entry: 600 mm × 1200 mm × 2.0 m, the common enclosure for
    /// EIA-310 42U equipment (42 × 44.45 mm = 1.87 m of mounting space plus base and roof).
    /// </summary>
    public static RackBody Standard(string template) => new(template, 0.6, 1.2, 2.0);
}
