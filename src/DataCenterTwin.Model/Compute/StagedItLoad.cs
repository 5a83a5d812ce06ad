using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

/// <summary>Racks <paramref name="FirstRack"/> … <paramref name="FirstRack"/> + <paramref name="Count"/> − 1 go into service at <paramref name="At"/>.</summary>
/// <param name="At">When they are installed, after the start of the run.</param>
/// <param name="FirstRack">The first rack installed.</param>
/// <param name="Count">How many racks, in rack order.</param>
public readonly record struct RackInstallation(SimTime At, int FirstRack, int Count);

/// <summary>
/// A hall whose racks are not all there from the start (load growth by racks added on a date): a
/// rack installed later stands in the topology from the start but is absent until its date. Absent,
/// it serves nothing (its clocks are held at 0, so the compute sends its pool's work to the racks
/// that are in service), draws nothing and so gives no heat; from its date on it is an ordinary rack.
/// </summary>
/// <remarks>
/// The compute models still account a stopped rack's idle draw (a rack at clock 0 is a rack whose
/// servers are powered but stopped). An absent rack has no servers to power, so what the inner model
/// accounts for it before its date is dropped: its energy counts from the instant it is installed.
/// Utilisation and busy time are the inner model's, over every rack the hall will hold (an absent
/// rack counts as available and idle). Allocation-free once built: the installations are a sorted array walked by one index.
/// </remarks>
public sealed class StagedItLoad : IItLoad
{
    private readonly IItLoad _inner;
    private readonly RackInstallation[] _installations;
    private readonly bool[] _absent;
    private readonly double[] _energyAtInstallJ;
    private readonly double[] _requestedSpeed;
    private int _next;

    /// <summary>Wraps <paramref name="inner"/>; the racks of every installation are absent until its time.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rack outside the hall, an installation at or before the start, or a rack installed twice.</exception>
    public StagedItLoad(IItLoad inner, IEnumerable<RackInstallation> installations)
    {
        _inner = inner;
        _installations = [.. installations.OrderBy(i => i.At.Ticks)];
        int racks = inner.RackCount;
        _absent = new bool[racks];
        _energyAtInstallJ = new double[racks];
        _requestedSpeed = new double[racks];
        Array.Fill(_requestedSpeed, 1.0);
        foreach (var i in _installations)
        {
            if (i.At.Ticks <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(installations), i.At, "A rack installed at the start is there from the start: list it as an ordinary rack.");
            }

            if (i.Count < 1 || i.FirstRack < 0 || i.FirstRack + i.Count > racks)
            {
                throw new ArgumentOutOfRangeException(nameof(installations), $"racks {i.FirstRack} to {i.FirstRack + i.Count - 1}: the hall has racks 0 to {racks - 1}");
            }

            for (int r = i.FirstRack; r < i.FirstRack + i.Count; r++)
            {
                if (_absent[r])
                {
                    throw new ArgumentOutOfRangeException(nameof(installations), $"rack {r} is installed twice");
                }

                _absent[r] = true;
                inner.SetRackSpeedFactor(r, 0);
            }
        }
    }

    /// <summary>Whether <paramref name="rack"/> is still waiting for its installation date.</summary>
    public bool IsAbsent(int rack) => _absent[rack];

    /// <summary>The hall the staging wraps.</summary>
    public IItLoad Inner => _inner;

    /// <inheritdoc/>
    public int RackCount => _inner.RackCount;

    /// <inheritdoc/>
    public double MeanUtilisation => _inner.MeanUtilisation;

    /// <inheritdoc/>
    public ItBusy Busy => _inner.Busy;

    /// <inheritdoc/>
    public int RackAccelerators(int rack) => _inner.RackAccelerators(rack);

    /// <inheritdoc/>
    public void RackUtilisation(Span<double> utilisation) => _inner.RackUtilisation(utilisation);

    /// <inheritdoc/>
    public void AdvanceTo(SimTime now)
    {
        // An installation between two steps happens at its own instant: the inner model runs to it
        // with the racks absent, then on with them in service.
        while (_next < _installations.Length && _installations[_next].At <= now)
        {
            var i = _installations[_next++];
            _inner.AdvanceTo(i.At);
            for (int r = i.FirstRack; r < i.FirstRack + i.Count; r++)
            {
                _absent[r] = false;
                _energyAtInstallJ[r] = _inner.RackEnergyJ(r);
                _inner.SetRackSpeedFactor(r, _requestedSpeed[r]);
            }
        }

        _inner.AdvanceTo(now);
    }

    /// <inheritdoc/>
    public double RackEnergyJ(int rack) => _absent[rack] ? 0 : _inner.RackEnergyJ(rack) - _energyAtInstallJ[rack];

    /// <inheritdoc/>
    public void SetRackSpeedFactor(int rack, double speedFactor)
    {
        _requestedSpeed[rack] = speedFactor;
        if (!_absent[rack])
        {
            _inner.SetRackSpeedFactor(rack, speedFactor);
        }
    }

    /// <inheritdoc/>
    public void SetRackTemperatureC(int rack, double temperatureC) => _inner.SetRackTemperatureC(rack, temperatureC);
}
