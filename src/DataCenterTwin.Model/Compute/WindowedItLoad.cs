using DataCenterTwin.Kernel;

namespace DataCenterTwin.Model.Compute;

/// <summary>
/// A run at fluid level with windows at request level (a year of design runs with a request-level
/// week in July). Each rack's energy is banked when the fidelity changes, so the facility sees one
/// continuous IT load; utilisation is the busy time of whichever model ran, over the whole run.
/// Queues do not cross a boundary: the fluid backlog is dropped when a window opens, and requests
/// still in flight when it closes finish on the request model without counting toward energy.
/// </summary>
public sealed class WindowedItLoad : IItLoad, IEventHandler
{
    private const int OpenKind = 0;
    private const int CloseKind = 1;
    private readonly FluidHall _fluid;
    private readonly ComputeHall _request;
    private readonly Action<SimTime, SimTime> _openWindow;
    private readonly IReadOnlyList<(SimTime Start, SimTime End)> _windows;
    private readonly Simulator _sim;
    private readonly double[] _bankJ;
    private readonly double[] _baseJ;
    private readonly double _accelerators;
    private double _busyBankS;
    private double _busyBaseS;
    private ItBusy _kindBank;
    private ItBusy _kindBase;
    private readonly double[] _rackBusyBankS;
    private readonly double[] _rackBusyBaseS;
    private readonly double[] _rackBusyScratchS;

    /// <summary>Wires the two models and schedules the windows; <paramref name="openWindow"/> starts the request sources of a window.</summary>
    public WindowedItLoad(Simulator simulator, FluidHall fluid, ComputeHall request, IReadOnlyList<(SimTime Start, SimTime End)> windows,
        Action<SimTime, SimTime> openWindow)
    {
        _sim = simulator;
        _fluid = fluid;
        _request = request;
        _windows = windows;
        _openWindow = openWindow;
        RackCount = fluid.RackCount;
        _bankJ = new double[RackCount];
        _baseJ = new double[RackCount];
        _rackBusyBankS = new double[RackCount];
        _rackBusyBaseS = new double[RackCount];
        _rackBusyScratchS = new double[RackCount];
        _accelerators = request.AcceleratorCount;
        var self = simulator.Register(this, "fidelity-windows");
        for (int i = 0; i < windows.Count; i++)
        {
            simulator.Schedule(windows[i].Start, self, OpenKind, i);
            simulator.Schedule(windows[i].End, self, CloseKind, i);
        }
    }

    /// <summary>The fluid-level model (between windows).</summary>
    public FluidHall Fluid => _fluid;

    /// <summary>The request-level model (in windows).</summary>
    public ComputeHall Request => _request;

    /// <summary>Whether the request-level model is running now.</summary>
    public bool RequestLevel { get; private set; }

    private IItLoad Active => RequestLevel ? _request : _fluid;

    /// <inheritdoc/>
    public int RackCount { get; }

    /// <inheritdoc/>
    public double MeanUtilisation
    {
        get
        {
            double now = _sim.Now.TotalSeconds;
            return now > 0 && _accelerators > 0 ? (_busyBankS + ActiveBusyS() - _busyBaseS) / (_accelerators * now) : 0;
        }
    }

    /// <inheritdoc/>
    public void AdvanceTo(SimTime now) => Active.AdvanceTo(now);

    /// <inheritdoc/>
    public double RackEnergyJ(int rack) => _bankJ[rack] + Active.RackEnergyJ(rack) - _baseJ[rack];

    /// <summary>Every rack's <see cref="RackEnergyJ"/>, in rack order, into <paramref name="energiesJ"/>: the twin reads them each step, and a call per rack through the active model was a few per cent of a step.</summary>
    public void ReadRackEnergiesJ(Span<double> energiesJ)
    {
        if (RequestLevel)
        {
            for (int r = 0; r < RackCount; r++)
            {
                energiesJ[r] = _bankJ[r] + _request.RackEnergyJ(r) - _baseJ[r];
            }

            return;
        }

        RackSpans.SumMinus(_bankJ, _fluid.RackEnergiesJ, _baseJ, energiesJ[..RackCount]);
    }

    /// <inheritdoc/>
    public void SetRackSpeedFactor(int rack, double speedFactor)
    {
        _fluid.SetRackSpeedFactor(rack, speedFactor);
        _request.SetRackSpeedFactor(rack, speedFactor);
    }

    /// <inheritdoc/>
    public void SetRackTemperatureC(int rack, double temperatureC)
    {
        _fluid.SetRackTemperatureC(rack, temperatureC);
        _request.SetRackTemperatureC(rack, temperatureC);
    }

    /// <inheritdoc/>
    public void OnEvent(in SimEvent e)
    {
        var now = _sim.Now;
        bool toRequest = e.Kind == OpenKind;
        if (toRequest == RequestLevel)
        {
            return;
        }

        // Bank what the model that ran used, then take the other's counters from here.
        Active.AdvanceTo(now);
        for (int r = 0; r < RackCount; r++)
        {
            _bankJ[r] += Active.RackEnergyJ(r) - _baseJ[r];
        }

        _busyBankS += ActiveBusyS() - _busyBaseS;
        ActiveRackBusyS(_rackBusyScratchS);
        for (int r = 0; r < RackCount; r++)
        {
            _rackBusyBankS[r] += _rackBusyScratchS[r] - _rackBusyBaseS[r];
        }

        _kindBank = Add(_kindBank, Active.Busy, _kindBase);
        RequestLevel = toRequest;
        if (toRequest)
        {
            _request.AdvanceTo(now);
            var (start, end) = _windows[(int)e.Arg];
            _openWindow(start, end);
        }
        else
        {
            _fluid.SkipTo(now);
        }

        for (int r = 0; r < RackCount; r++)
        {
            _baseJ[r] = Active.RackEnergyJ(r);
        }

        _busyBaseS = ActiveBusyS();
        ActiveRackBusyS(_rackBusyBaseS);
        _kindBase = Active.Busy;
    }

    /// <inheritdoc/>
    public ItBusy Busy => Add(_kindBank, Active.Busy, _kindBase);

    // The bank plus what the active model did since it took over.
    private static ItBusy Add(in ItBusy bank, in ItBusy now, in ItBusy since) => new(
        bank.ComputeAcceleratorS + now.ComputeAcceleratorS - since.ComputeAcceleratorS,
        bank.MemoryAcceleratorS + now.MemoryAcceleratorS - since.MemoryAcceleratorS,
        bank.OccupancyReplicaS + now.OccupancyReplicaS - since.OccupancyReplicaS,
        now.Accelerators, now.Replicas);

    /// <inheritdoc/>
    public int RackAccelerators(int rack) => _request.RackAccelerators(rack);

    /// <inheritdoc/>
    public void RackUtilisation(Span<double> utilisation)
    {
        // As MeanUtilisation: the bank plus what the active model did since it took over, rack by rack.
        ActiveRackBusyS(utilisation);
        double now = _sim.Now.TotalSeconds;
        for (int r = 0; r < utilisation.Length; r++)
        {
            int accels = _request.RackAccelerators(r);
            utilisation[r] = now > 0 && accels > 0 ? (_rackBusyBankS[r] + utilisation[r] - _rackBusyBaseS[r]) / (accels * now) : 0;
        }
    }

    private void ActiveRackBusyS(Span<double> busyS)
    {
        if (RequestLevel)
        {
            _request.RackBusyAcceleratorSeconds(busyS);
        }
        else
        {
            _fluid.RackBusyAcceleratorSeconds(busyS);
        }
    }

    private double ActiveBusyS() => RequestLevel
        ? _request.MeanUtilisation * _accelerators * _sim.Now.TotalSeconds
        : _fluid.BusyAcceleratorSeconds;
}
