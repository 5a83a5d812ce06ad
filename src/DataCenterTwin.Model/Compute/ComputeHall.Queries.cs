using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Compute;

// What the request-level hall reports between events: its layout, per-replica and per-rack state,
// power, utilisation and per-pool totals. Reads only; nothing here changes the simulation.
public sealed partial class ComputeHall
{
    /// <summary>The specification the hall was built from.</summary>
    public ComputeHallSpec Spec { get; }

    /// <inheritdoc/>
    public int RackCount { get; }

    /// <summary>The pools, in the order of the specification.</summary>
    public IReadOnlyList<ComputePool> Pools => _pools;

    /// <summary>Per-class metrics, in the order of the specification's classes.</summary>
    public IReadOnlyList<ClassMetrics> Metrics => _metrics;

    /// <summary>Replicas in the hall.</summary>
    public int ReplicaCount => _replicas.Length;

    /// <summary>Accelerators in the hall (pools and training racks).</summary>
    public long AcceleratorCount => _totalAccels;

    /// <summary>Serving iterations run so far (prefill and decode; a decode span covers several in one kernel event).</summary>
    public long Iterations => _poolIterations.Sum() + IterationsInOpenSpans();

    /// <summary>Kernel events that were the end of a decode span an arrival had cut short, and did nothing (ComputeHall.Spans.cs).</summary>
    public long SupersededSpanEnds => _poolSupersededEnds.Sum();

    /// <summary>Requests that have arrived and are neither completed nor rejected.</summary>
    public long RequestsInFlight => _lanes.Sum(l => (long)l.Used);

    /// <summary>The index of a class by name, or −1.</summary>
    public int ClassIndexOf(string name) => Array.FindIndex(_classes, c => c.Name == name);

    /// <summary>The index of the pool with this name, or −1.</summary>
    public int PoolIndexOf(string name) => Array.FindIndex(_pools, p => p.Spec.Name == name);

    /// <summary>The request class at an index.</summary>
    public RequestClass Class(int classIndex) => _classes[classIndex];

    /// <summary>The rack a replica sits in.</summary>
    public int ReplicaRack(int replica) => _replicas[replica].Rack;

    /// <summary>The replica's current clock factor (its rack's).</summary>
    public double ReplicaSpeed(int replica) => _rackSpeed[_replicas[replica].Rack];

    /// <summary>The replica's current phase.</summary>
    public AcceleratorPhase ReplicaPhase(int replica) => _replicas[replica].Phase;

    /// <summary>Requests assigned to the replica and not finished.</summary>
    public int ReplicaOutstandingRequests(int replica) => _replicas[replica].OutstandingReq - FinishingNow(replica);

    /// <summary>Tokens still to process on the replica.</summary>
    public long ReplicaOutstandingTokens(int replica) => _replicas[replica].OutstandingTok - (long)_replicas[replica].HeapCount * SpanItersDone(replica, SimOf(replica).Now.Ticks);

    /// <summary>Requests in the replica's running batch.</summary>
    public int ReplicaBatchSize(int replica) => _replicas[replica].HeapCount + _replicas[replica].NewCount;

    /// <summary>KV-cache tokens in use (reserved) on the replica.</summary>
    public long ReplicaKvTokens(int replica) => _replicas[replica].KvUsed
        + (_pools[_replicas[replica].Pool].Spec.Batching.OnKvFull == KvFullPolicy.Preempt ? (long)_replicas[replica].HeapCount * SpanItersDone(replica, SimOf(replica).Now.Ticks) : 0);

    /// <summary>The replica's accelerator power now (all its accelerators), W.</summary>
    public double ReplicaPowerW(int replica) => _replicas[replica].PowerW;

    /// <summary>Energy of the replica's accelerators up to the last event or <see cref="AdvanceTo"/>, J.</summary>
    public double ReplicaEnergyJ(int replica) => _replicas[replica].EnergyJ;

    /// <summary>Energy of each one accelerator of the replica (they share its phase), J.</summary>
    public double AcceleratorEnergyJ(int replica) => _replicas[replica].EnergyJ / _replicas[replica].Accels;

    /// <summary>The rack's IT power now (accelerators and hosts), W.</summary>
    public double RackPowerW(int rack) => _rackMeters[rack].PowerW;

    /// <summary>The rack's current clock factor.</summary>
    public double RackSpeedFactor(int rack) => _rackSpeed[rack];

    /// <summary>The rack temperature last set, °C.</summary>
    public double RackTemperatureC(int rack) => _rackTempC[rack];

    /// <summary>The hall's IT power now, W.</summary>
    public double TotalPowerW
    {
        get
        {
            double sum = 0;
            foreach (ref readonly var m in _rackMeters.AsSpan())
            {
                sum += m.PowerW;
            }

            return sum;
        }
    }

    /// <inheritdoc/>
    public double RackEnergyJ(int rack) => _rackMeters[rack].EnergyJ;

    /// <inheritdoc/>
    public double MeanUtilisation
    {
        get
        {
            long now = _sim.Now.Ticks;
            if (now <= 0 || _totalAccels == 0)
            {
                return 0;
            }

            double busy = 0;
            for (int r = 0; r < _replicas.Length; r++)
            {
                long ticks = _replicas[r].BusyTicks + (_replicas[r].Phase != AcceleratorPhase.Idle ? now - _replicas[r].BusySince : 0);
                busy += (double)ticks * _replicas[r].Accels;
            }

            for (int j = 0; j < _jobs.Length; j++)
            {
                busy += _jobBusyAccelTicks[j] + (_jobRunning[j] ? (now - _jobSegStart[j]) * JobBusyAccels(j) * _jobs[j].Utilisation : 0);
            }

            return busy / ((double)_totalAccels * now);
        }
    }

    /// <summary>Each pool's totals so far, in spec order (energy from the racks' accounts up to the last event or <see cref="AdvanceTo"/>).</summary>
    public IReadOnlyList<PoolTotals> PoolTotals()
    {
        long now = _sim.Now.Ticks;
        var result = new PoolTotals[_pools.Length];
        for (int pi = 0; pi < _pools.Length; pi++)
        {
            var pool = _pools[pi];
            double busy = 0;
            for (int r = pool.FirstReplica; r < pool.FirstReplica + pool.Count; r++)
            {
                long ticks = _replicas[r].BusyTicks + (_replicas[r].Phase != AcceleratorPhase.Idle ? now - _replicas[r].BusySince : 0);
                busy += ticks / 1e6 * _replicas[r].Accels;
            }

            double energy = 0;
            for (int k = pool.Spec.FirstRack; k < pool.Spec.FirstRack + pool.Spec.RackCount; k++)
            {
                energy += _rackMeters[k].EnergyJ;
            }

            result[pi] = new PoolTotals(pool.Name, pool.Spec.AcceleratorsPerRack * pool.Spec.RackCount, _poolRequests[PoolSlot(pi)], _poolPromptTokens[PoolSlot(pi)],
                _poolOutputTokens[PoolSlot(pi)], busy, energy);
        }

        return result;
    }

    /// <summary>The share of class <paramref name="classIndex"/>'s requests each pool gets, in spec order.</summary>
    public double PoolShare(int classIndex, int pool)
    {
        int i = Array.IndexOf(_classPools[classIndex], pool);
        return i < 0 ? 0 : _classCumShare[classIndex][i] - (i > 0 ? _classCumShare[classIndex][i - 1] : 0);
    }
}
