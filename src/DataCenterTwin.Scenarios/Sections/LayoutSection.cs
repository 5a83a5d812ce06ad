using System.Globalization;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>
/// Reads the optional <c>layout</c> section: how many rows the racks stand in, their pitch, the
/// aisle width and the containment. Whatever is left out comes from the rack count
/// (<see cref="LayoutSpec.Default"/>), and the resolved scenario shows it.
/// </summary>
internal static class LayoutSection
{
    public static readonly string[] ContainmentNames = ["none", "cold-aisle", "hot-aisle"];

    public static LayoutSpec? Read(MapReader root, HallSpec? hall)
    {
        var layout = root.Child("layout");
        if (hall is null)
        {
            layout?.Accept("rows", "rack_pitch", "aisle_width", "containment");
            return null;
        }

        int racks = hall.Racks.Count;
        double widest = hall.Racks.Max(r => (r.Body ?? RackBody.Standard("")).WidthM);
        var d = LayoutSpec.Default(racks, widest);
        if (layout is null)
        {
            // Written out all the same, so the resolved scenario says where the racks stand.
            root.Context.Resolved.Add(("layout.rows", d.Rows.ToString(CultureInfo.InvariantCulture)));
            root.Context.Resolved.Add(("layout.rack_pitch", Quantity.Format(d.RackPitchM, Dimension.Length)));
            root.Context.Resolved.Add(("layout.aisle_width", Quantity.Format(d.AisleWidthM, Dimension.Length)));
            root.Context.Resolved.Add(("layout.containment", "\"hot-aisle\""));
            return d;
        }

        int rows = (int)layout.WholeNumber("rows", d.Rows, min: 1, max: 100_000);
        double pitch = layout.Quantity("rack_pitch", Dimension.Length, d.RackPitchM, min: 0.1, max: 5);
        double aisle = layout.Quantity("aisle_width", Dimension.Length, d.AisleWidthM, min: 0.6, max: 20);
        string containment = layout.Text("containment", "hot-aisle", ContainmentNames);
        layout.Done();
        if (rows > racks)
        {
            layout.Error("rows", $"{rows} rows for {racks} racks: every row needs at least one rack");
        }

        if (pitch < widest - 1e-9)
        {
            layout.Error("rack_pitch", string.Create(CultureInfo.InvariantCulture,
                $"a rack pitch of {pitch:G4} m is narrower than the widest rack of the hall ({widest:G4} m, from the hardware catalog)"));
        }

        var kind = containment switch { "none" => Containment.None, "cold-aisle" => Containment.ColdAisle, _ => Containment.HotAisle };
        return new LayoutSpec(rows, pitch, aisle, kind);
    }
}
