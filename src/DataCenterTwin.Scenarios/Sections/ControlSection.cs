using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>control</c> section.</summary>
internal static class ControlSection
{
    public static ControlSpec Read(MapReader? control)
    {
        var d = ControlSpec.Default;
        if (control is null)
        {
            return d;
        }

        var spec = new ControlSpec(
            (SupervisoryPolicy)Math.Max(0, Array.IndexOf(ControlSpec.PolicyNames, control.Text("policy", ControlSpec.PolicyNames[(int)d.Policy], ControlSpec.PolicyNames))),
            control.Boolean("demand_response", d.DemandResponse),
            control.Quantity("margin", Dimension.Power, d.MarginW, min: 0),
            control.Quantity("hysteresis", Dimension.Power, d.HysteresisW, min: 0),
            control.Quantity("guard", Dimension.Fraction, d.GuardFraction, min: 0, max: 0.5),
            control.Boolean("cap_at_grid_limit", d.CapAtGridLimit),
            control.Quantity("min_speed_factor", Dimension.Fraction, d.MinSpeedFactor, min: 0.05, max: 1));
        control.Done();
        return spec;
    }
}
