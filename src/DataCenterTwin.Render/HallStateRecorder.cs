using DataCenterTwin.Model.Topology;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Render;

/// <summary>
/// Keeps the last closed output interval of a running twin, as the twin's observer, and makes a
/// <see cref="HallViewState"/> of it on demand. Fixed arrays, overwritten in place: nothing is
/// allocated per interval.
/// </summary>
public sealed class HallStateRecorder : ITwinObserver
{
    private readonly HallTopology _topology;
    private readonly DateTime _siteStart;
    private readonly RackView[] _racks;
    private readonly ChillerView[] _chillers;
    private readonly CduView[] _cdus;
    private readonly Dictionary<string, int> _chillerIndex, _cduIndex;
    private FacilitySample _facility;
    private double _supplyC = double.NaN, _returnC = double.NaN;

    /// <summary>Records for <paramref name="topology"/>; <paramref name="siteStart"/> is the run's start in site local time.</summary>
    public HallStateRecorder(HallTopology topology, DateTime siteStart)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _topology = topology;
        _siteStart = siteStart;
        _racks = new RackView[topology.Racks.Count];
        _chillers = new ChillerView[topology.Chillers.Count];
        _cdus = new CduView[topology.Cdus.Count];
        _chillerIndex = topology.Chillers.ToDictionary(c => c.Name, c => c.Index, StringComparer.Ordinal);
        _cduIndex = topology.Cdus.ToDictionary(c => c.Name, c => c.Index, StringComparer.Ordinal);
    }

    /// <summary>Whether an interval has closed yet.</summary>
    public bool HasData { get; private set; }

    /// <summary>Seconds since the start at the end of the last closed interval.</summary>
    public double EndS => _facility.StartS + _facility.DurationS;

    /// <inheritdoc/>
    public void OnFacilityInterval(in FacilitySample interval)
    {
        _facility = interval;
        HasData = true;
    }

    /// <inheritdoc/>
    public void OnRackInterval(in RackSample interval)
    {
        var r = _topology.Racks[interval.Rack];
        double range = r.DesignPowerW - r.IdlePowerW;
        double utilisation = range > 0 ? Math.Clamp((interval.PowerW - r.IdlePowerW) / range, 0, 1) : 0;
        _racks[interval.Rack] = new RackView(interval.InletC, interval.PowerW, utilisation, interval.SpeedFactor, interval.ThrottleFraction);
    }

    /// <inheritdoc/>
    public void OnPlantInterval(in PlantSample interval)
    {
        switch (interval.UnitKind)
        {
            case "chiller" when _chillerIndex.TryGetValue(interval.Unit, out int k):
                var mode = interval.Mode switch
                {
                    "gas" => ChillerMode.Gas,
                    "split" => ChillerMode.Split,
                    "off" => ChillerMode.Off,
                    "failed" => ChillerMode.Tripped,
                    _ => ChillerMode.Electric,
                };
                double capacity = _topology.Chillers[k].CapacityW;
                _chillers[k] = new ChillerView(mode, capacity > 0 ? interval.LoadW / capacity : 0);
                break;
            case "cdu" when _cduIndex.TryGetValue(interval.Unit, out int c):
                _cdus[c] = new CduView(interval.SupplyC, interval.ReturnC);
                break;
            case "loop":
                _supplyC = interval.SupplyC;
                _returnC = interval.ReturnC;
                break;
            default:
                break;
        }
    }

    /// <inheritdoc/>
    public void OnEvent(in TwinEvent e)
    {
    }

    /// <summary>The state at the end of the last closed interval.</summary>
    /// <exception cref="InvalidOperationException">No interval has closed yet.</exception>
    public HallViewState Snapshot()
    {
        if (!HasData)
        {
            throw new InvalidOperationException("no output interval has closed yet");
        }

        var f = _facility;
        var facility = new FacilityView(f.TotalW, f.ItW, f.GridW, f.GridCapW, f.FreedW, f.GasShare, f.OutdoorDryBulbC);
        return new HallViewState(EndS, _siteStart.AddSeconds(EndS), _racks, _chillers, _cdus, _supplyC, _returnC, facility);
    }
}
