using DataCenterTwin.Model.Topology;
using DataCenterTwin.Render;
using DataCenterTwin.Runs;

namespace DataCenterTwin.Service.Internal;

/// <summary>The renderer's view of a published session snapshot (the latest control step, not an interval mean as in <c>dctwin render</c>).</summary>
internal static class SnapshotView
{
    public static HallViewState Of(TwinSnapshot s, HallTopology topology, DateTime siteStart)
    {
        var racks = new RackView[s.RackPowerW.Length];
        for (int i = 0; i < racks.Length; i++)
        {
            var r = topology.Racks[i];
            double range = r.DesignPowerW - r.IdlePowerW;
            double utilisation = range > 0 ? Math.Clamp((s.RackPowerW[i] - r.IdlePowerW) / range, 0, 1) : 0;
            racks[i] = new RackView(s.RackInletC[i], s.RackPowerW[i], utilisation, s.RackSpeedFactor[i], s.RackThrottled[i] ? 1 : 0);
        }

        var chillers = new ChillerView[s.ChillerMode.Length];
        for (int k = 0; k < chillers.Length; k++)
        {
            double capacity = topology.Chillers[k].CapacityW;
            chillers[k] = new ChillerView(Mode(s.ChillerMode[k], s.ChillerTripped[k], s.ChillerLoadW[k]), capacity > 0 ? s.ChillerLoadW[k] / capacity : 0);
        }

        var cdus = new CduView[s.CduSupplyC.Length];
        for (int c = 0; c < cdus.Length; c++)
        {
            cdus[c] = new CduView(s.CduSupplyC[c], s.CduReturnC[c]);
        }

        var facility = new FacilityView(s.TotalW, s.ItW, s.GridW, s.GridCapW, s.FreedW, s.GasShare, s.OutdoorDryBulbC);
        return new HallViewState(s.TimeS, siteStart.AddSeconds(s.TimeS), racks, chillers, cdus, s.FacilitySupplyC, s.FacilityReturnC, facility);
    }

    // The snapshot's mode names (TwinSnapshot.ModeName and its manual ones) to the renderer's colours.
    internal static ChillerMode Mode(string mode, bool tripped, double loadW) => tripped ? ChillerMode.Tripped : mode switch
    {
        "gas" or "manual gas" => ChillerMode.Gas,
        "split" or "manual gas-share" => ChillerMode.Split,
        "off" or "manual off" => ChillerMode.Off,
        _ when loadW <= 0 => ChillerMode.Off,
        _ => ChillerMode.Electric,
    };
}
