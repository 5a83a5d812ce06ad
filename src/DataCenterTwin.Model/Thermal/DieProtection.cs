using System.Runtime.CompilerServices;

namespace DataCenterTwin.Model.Thermal;

/// <summary>
/// The accelerators' last line of defence, per rack: a die that reaches its shutdown temperature
/// turns the rack's accelerators off (clock factor 0: the replicas on them stop serving and a
/// training job on them stops), and they come back only once the die is back below the throttle
/// limit (the cause has cleared) and a restart time has passed. Throttling alone cannot hold a die
/// whose coolant has lost its flow: the firmware's answer to that is a shutdown, not a slower clock.
/// Limits in assets/hardware/die-limits.md.
/// </summary>
public sealed class DieProtection
{
    private readonly AcceleratorThermalSpec _spec;
    private readonly bool[] _down;
    private readonly double[] _coolS;     // seconds the die has been back below the limit while down; NaN while above it
    private readonly double[] _downS;

    /// <summary>Protection for <paramref name="racks"/> racks under one accelerator thermal spec.</summary>
    public DieProtection(AcceleratorThermalSpec spec, int racks)
    {
        _spec = spec;
        _down = new bool[racks];
        _coolS = new double[racks];
        Array.Fill(_coolS, double.NaN);
        _downS = new double[racks];
    }

    // Counted with Interlocked: racks step on several threads (CoolingSystem.Workers); a count
    // does not depend on the order its increments came in.
    private int _shutdowns;
    private int _restarts;

    /// <summary>Rack shutdowns at the die limit since the start.</summary>
    public int Shutdowns => _shutdowns;

    /// <summary>Rack restarts after a shutdown since the start.</summary>
    public int Restarts => _restarts;

    /// <summary>Whether the rack's accelerators are shut down now.</summary>
    public bool IsDown(int rack) => _down[rack];

    // Per rack, whether it is shut down, for a loop over the racks that reads it without a call per rack.
    internal ReadOnlySpan<bool> DownFlags => _down;

    /// <summary>Seconds the rack has spent shut down since the start.</summary>
    public double DownSeconds(int rack) => _downS[rack];

    /// <summary>
    /// Advances rack <paramref name="rack"/> by <paramref name="dtS"/> with its die at
    /// <paramref name="dieC"/> (the end of the step) and returns its clock factor: 0 while shut down,
    /// else the throttle law's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Step(int rack, double dieC, double dtS) =>
        !_down[rack] && dieC < _spec.ShutdownC ? _spec.SpeedFactor(dieC) : StepShutdown(rack, dieC, dtS);

    // A rack reaching the shutdown limit or already down: out of line, so the common case above (a
    // rack up, below the limit) inlines into the racks' loop.
    private double StepShutdown(int rack, double dieC, double dtS)
    {
        if (!_down[rack])
        {
            _down[rack] = true;
            _coolS[rack] = double.NaN;
            Interlocked.Increment(ref _shutdowns);
            _downS[rack] += dtS;
            return 0;
        }

        _downS[rack] += dtS;
        if (dieC > _spec.LimitC)
        {
            _coolS[rack] = double.NaN;
            return 0;
        }

        // The cause has cleared: the restart clock runs from the first step the die is back below the limit.
        _coolS[rack] = double.IsNaN(_coolS[rack]) ? 0 : _coolS[rack] + dtS;
        if (_coolS[rack] + 1e-9 < _spec.RestartS)
        {
            return 0;
        }

        _down[rack] = false;
        _coolS[rack] = double.NaN;
        Interlocked.Increment(ref _restarts);
        return _spec.SpeedFactor(dieC);
    }
}
