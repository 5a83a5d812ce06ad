using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>
/// Reads the optional <c>controls</c> list: manual controls at given times, the same ones a session
/// takes by call (set points, a chiller's mode, IT caps, dispatch, arrival scale, shedding), so that
/// a run driven by calls can be written down and run again. Names are checked when the twin is built.
/// </summary>
internal static class ControlsSection
{
    private static readonly string[] Kinds =
        ["facility-water-setpoint", "supply-air-setpoint", "chiller-mode", "it-cap", "dispatch", "arrival-scale", "shed"];

    private static readonly string[] Modes = ["automatic", "electric", "gas", "gas-share", "off"];

    public static List<ScheduledControl> Read(MapReader root, DateTime start)
    {
        var controls = new List<ScheduledControl>();
        foreach (var c in root.Children("controls"))
        {
            var at = EventsSection.ReadAt(c, start);
            string kindText = c.Text("kind", null, Kinds);
            bool release = c.Boolean("release", false);
            string source = c.Text("source", "scenario");
            string target = "", text = "";
            var mode = ChillerModeSetting.Automatic;
            double value = double.NaN;
            ControlKind kind;
            switch (kindText)
            {
                case "facility-water-setpoint":
                case "supply-air-setpoint":
                    kind = kindText == "supply-air-setpoint" ? ControlKind.SupplyAirSetpoint : ControlKind.FacilityWaterSetpoint;
                    value = release ? double.NaN : c.Quantity("value", Dimension.Temperature, min: 0, max: 45);
                    break;
                case "chiller-mode":
                    kind = ControlKind.ChillerMode;
                    target = c.Text("target");
                    mode = c.Text("mode", "automatic", Modes) switch
                    {
                        "electric" => ChillerModeSetting.Electric,
                        "gas" => ChillerModeSetting.Gas,
                        "gas-share" => ChillerModeSetting.GasShare,
                        "off" => ChillerModeSetting.Off,
                        _ => ChillerModeSetting.Automatic,
                    };
                    value = mode == ChillerModeSetting.GasShare ? c.Number("value", min: 0, max: 1) : 0;
                    break;
                case "it-cap":
                    kind = ControlKind.ItCap;
                    target = c.Text("target", "hall");
                    value = release ? double.NaN : c.Quantity("value", Dimension.Power, min: 0);
                    break;
                case "dispatch":
                    kind = ControlKind.DispatchPolicy;
                    target = c.Text("target");
                    text = c.Text("policy", null, [.. Model.Compute.Dispatch.DispatchPolicies.Names]);
                    value = 0;
                    break;
                case "arrival-scale":
                    kind = ControlKind.ArrivalScale;
                    target = c.Text("target");
                    value = release ? double.NaN : c.Number("value", min: 0, max: 1e6);
                    break;
                default:
                    kind = ControlKind.ShedFraction;
                    value = release ? double.NaN : c.Number("value", min: 0, max: 1);
                    break;
            }

            c.Done();
            bool valid = release || !double.IsNaN(value);
            if (at is { } t && valid)
            {
                controls.Add(new ScheduledControl(t, new TwinControl(kind, value, target, mode, text, source)));
            }
        }

        // Stable by time: controls at the same time apply in the order written.
        return [.. controls.OrderBy(c => c.At)];
    }
}
