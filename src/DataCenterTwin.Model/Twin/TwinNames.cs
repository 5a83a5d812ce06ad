using System.Globalization;
using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Model.Twin;

/// <summary>
/// The one place names become indices: racks (<c>rack-N</c>, or the index itself), chillers, pools
/// and request classes. Controls, injected events and snapshots resolve through it, so that when the
/// hall topology gives racks their own names only this lookup changes.
/// </summary>
public sealed class TwinNames
{
    private readonly Dictionary<string, int> _chillers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _classes = new(StringComparer.Ordinal);
    private readonly string[] _rackNames;

    /// <summary>Names the racks, the plant's chillers and, when given, the compute's pools and classes.</summary>
    public TwinNames(int racks, CoolingSystem cooling, IComputeControl? compute)
    {
        _rackNames = new string[racks];
        for (int r = 0; r < racks; r++)
        {
            _rackNames[r] = "rack-" + r.ToString(CultureInfo.InvariantCulture);
        }

        for (int i = 0; i < cooling.Plant.Chillers.Count; i++)
        {
            _chillers[cooling.Plant.Chillers[i].Spec.Name] = i;
        }

        if (compute is not null)
        {
            for (int i = 0; i < compute.Pools.Count; i++)
            {
                _pools[compute.Pools[i].Name] = i;
            }

            for (int i = 0; i < compute.ClassNames.Count; i++)
            {
                _classes[compute.ClassNames[i]] = i;
            }
        }
    }

    /// <summary>Rack names by index.</summary>
    public IReadOnlyList<string> Racks => _rackNames;

    /// <summary>The rack's index, or −1: "rack-3" or "3".</summary>
    public int RackIndexOf(string name)
    {
        ReadOnlySpan<char> digits = name.StartsWith("rack-", StringComparison.Ordinal) ? name.AsSpan(5) : name.AsSpan();
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r < _rackNames.Length ? r : -1;
    }

    /// <summary>The chiller's index in the plant, or −1.</summary>
    public int ChillerIndexOf(string name) => _chillers.GetValueOrDefault(name, -1);

    /// <summary>The pool's index, or −1.</summary>
    public int PoolIndexOf(string name) => _pools.GetValueOrDefault(name, -1);

    /// <summary>The request class's index, or −1.</summary>
    public int ClassIndexOf(string name) => _classes.GetValueOrDefault(name, -1);

    /// <summary>Known names of one family, for error messages.</summary>
    public string Known(ControlKind kind) => kind switch
    {
        ControlKind.ChillerMode => string.Join(", ", _chillers.Keys),
        ControlKind.DispatchPolicy => string.Join(", ", _pools.Keys),
        ControlKind.ArrivalScale => string.Join(", ", _classes.Keys),
        _ => $"hall, rack-0 to rack-{_rackNames.Length - 1}" + (_pools.Count > 0 ? ", " + string.Join(", ", _pools.Keys) : ""),
    };
}
