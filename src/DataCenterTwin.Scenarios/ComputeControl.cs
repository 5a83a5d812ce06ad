using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Scenarios;

/// <summary>
/// The twin's handle on the compute as built: the request-level hall and its arrival sources, the
/// fluid hall, or both (a fluid run with request-level windows). Controls reach every level in use,
/// so a front end never asks which fidelity it drives.
/// </summary>
internal sealed class ComputeControl(ComputeHallSpec spec, ComputeHall? requestHall, FluidHall? fluidHall) : IComputeControl
{
    private readonly List<RequestSource> _sources = [];
    private readonly double[] _scale = Ones(spec.Classes.Count);

    // Each pool's pools in the request hall: itself, or its dispatch groups where the request hall of a
    // fluid run's windows splits a pool that the fluid hall keeps whole.
    private readonly int[][] _requestPools = [.. spec.Pools.Select(p => requestHall is null ? [] : Enumerable.Range(0, requestHall.Pools.Count)
        .Where(q => requestHall.Pools[q].Spec.Name == p.Name || requestHall.Pools[q].Spec.GroupOf == p.Name).ToArray())];

    public IReadOnlyList<string> ClassNames { get; } = [.. spec.Classes.Select(c => c.Name)];

    public IReadOnlyList<(string Name, int FirstRack, int RackCount)> Pools { get; } = [.. spec.Pools.Select(p => (p.Name, p.FirstRack, p.RackCount))];

    /// <summary>A source made for the request-level hall (windows open theirs as the run goes): it takes the scale in force.</summary>
    public void Add(RequestSource source)
    {
        _sources.Add(source);
        if (_scale[source.ClassIndex] != 1)
        {
            source.RateScale = _scale[source.ClassIndex];
        }
    }

    public bool SetDispatchPolicy(int pool, string policy)
    {
        if (DispatchPolicies.Create(policy) is null)
        {
            return false;
        }

        // The fluid hall shares load over a pool's replicas evenly whatever the policy: only request level dispatches.
        foreach (int q in _requestPools[pool])
        {
            requestHall!.SetDispatchPolicy(q, DispatchPolicies.Create(policy)!);
        }

        return true;
    }

    public void SetArrivalScale(int classIndex, double scale)
    {
        _scale[classIndex] = scale;
        fluidHall?.SetArrivalScale(classIndex, scale);
        foreach (var s in _sources)
        {
            if (s.ClassIndex == classIndex)
            {
                s.RateScale = scale;
            }
        }
    }

    public void SetShedFraction(double fraction)
    {
        fluidHall?.ShedFraction = fraction;
        requestHall?.ShedFraction = fraction;
    }

    public ClassReading ReadClass(int classIndex)
    {
        // Request-level figures where requests are simulated (the whole run, or its windows); the fluid hall's otherwise.
        if (requestHall is { } hall && hall.Metrics[classIndex] is { Arrived: > 0 } m)
        {
            // Read directly (no delegates): a snapshot reads every class every control step.
            bool ttft = m.Ttft.Count > 0, e2e = m.E2e.Count > 0;
            return new ClassReading(m.Arrived, m.Completed, m.Rejected, m.Arrived - m.Completed - m.Rejected,
                ttft ? m.Ttft.Quantile(0.5) : double.NaN, ttft ? m.Ttft.Quantile(0.99) : double.NaN,
                e2e ? m.E2e.Quantile(0.5) : double.NaN, e2e ? m.E2e.Quantile(0.99) : double.NaN);
        }

        if (fluidHall is { } fluid)
        {
            var f = fluid.Metrics[classIndex];
            bool any = f.Completed > 0;
            return new ClassReading(f.Arrived, f.Completed, f.Rejected, Math.Max(0, f.Arrived - f.Completed - f.Rejected),
                any ? f.Ttft.Quantile(0.5) : double.NaN, any ? f.Ttft.Quantile(0.99) : double.NaN, any ? f.E2e.Quantile(0.5) : double.NaN, any ? f.E2e.Quantile(0.99) : double.NaN);
        }

        return new ClassReading(0, 0, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN);
    }

    private static double[] Ones(int n)
    {
        var a = new double[n];
        Array.Fill(a, 1.0);
        return a;
    }
}
