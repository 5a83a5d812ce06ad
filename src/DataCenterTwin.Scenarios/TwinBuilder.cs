using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Power;
using DataCenterTwin.Model.Topology;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Model.Workload;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Scenarios;

/// <summary>A twin built from a scenario, with its IT model at the fidelity chosen.</summary>
/// <param name="Twin">The hall on its clock.</param>
/// <param name="Simulator">The clock.</param>
/// <param name="RequestHall">The request-level compute, when the run is at request level.</param>
/// <param name="FluidHall">The fluid-level compute, when the run is at fluid level.</param>
/// <param name="Fidelity">The fidelity it runs at.</param>
/// <param name="Topology">Where everything stands, with stable names.</param>
public sealed record BuiltTwin(HallTwin Twin, Simulator Simulator, ComputeHall? RequestHall, FluidHall? FluidHall, Fidelity Fidelity, HallTopology Topology);

/// <summary>Builds a twin from a validated scenario: every part from its section, wired on one clock.</summary>
public static class TwinBuilder
{
    /// <summary>Builds the twin; <paramref name="sink"/> receives every finished request at request level.</summary>
    public static BuiltTwin Build(ScenarioSpec spec, Fidelity fidelity, IRequestSink? sink = null)
    {
        var sim = new Simulator(spec.Run.Seed);
        var hall = spec.Hall;
        var computeSpec = new ComputeHallSpec(hall.Racks.Count, hall.Pools, [.. spec.Workload.Classes.Select(c => c.Class)],
            hall.Training, spec.Workload.TrainingJobs);

        ComputeHall? requestHall = null;
        FluidHall? fluidHall = null;
        IItLoad it;
        var sources = new List<RequestSource>();
        ComputeControl? control = null;
        var windows = spec.Run.Windows.Where(w => w.Fidelity == Fidelity.Request).Select(w => (w.Start, w.End)).ToList();
        if (fidelity == Fidelity.Request)
        {
            // Pools split into dispatch groups are a pool each here, and their classes a source per group.
            computeSpec = DispatchGroups.Expand(computeSpec);
            requestHall = new ComputeHall(sim, computeSpec, sink);
            for (int ci = 0; ci < spec.Workload.Classes.Count; ci++)
            {
                sources.AddRange(SourcesOf(sim, requestHall, computeSpec, spec.Workload.Classes[ci], ci, spec.Run.Horizon, from: null, window: null));
            }

            it = requestHall;
        }
        else
        {
            var arrivals = spec.Workload.Classes.Select(c => c.Arrivals.Create(sim.Random.For($"workload/{c.Class.Name}/arrivals"))).ToList();
            fluidHall = new FluidHall(computeSpec, arrivals, sim.Random.For("workload/fluid-tokens"));
            it = fluidHall;
            if (windows.Count > 0)
            {
                // Request-level windows in a fluid run: each window gets its own arrival streams, started where the window starts.
                // The windows' hall splits pools into their dispatch groups as a request-level run does; the fluid hall
                // has no dispatcher to split, and the two meet rack by rack (WindowedItLoad).
                var windowSpec = DispatchGroups.Expand(computeSpec);
                var hallForWindows = new ComputeHall(sim, windowSpec, sink);
                requestHall = hallForWindows;
                int opened = 0;
                it = new WindowedItLoad(sim, fluidHall, hallForWindows, windows, (start, end) =>
                {
                    int k = opened++;
                    for (int ci = 0; ci < spec.Workload.Classes.Count; ci++)
                    {
                        foreach (var source in SourcesOf(sim, hallForWindows, windowSpec, spec.Workload.Classes[ci], ci, end, start, $"window-{k}"))
                        {
                            if (control is null)
                            {
                                sources.Add(source);
                            }
                            else
                            {
                                control.Add(source);
                            }
                        }
                    }
                });
            }
        }

        if (spec.RackInstallations.Count > 0)
        {
            // run.growth adds racks on dates: they stand in the hall from the start, absent until then.
            it = new StagedItLoad(it, spec.RackInstallations);
        }

        var site = spec.Site;
        var cooling = new CoolingSystem(spec.Cooling);
        var calendar = new SiteCalendar(site.Start);
        var weather = spec.Weather.Clone();
        double weatherOffsetS = calendar.HourOfYear(SimTime.Zero) * 3600;
        foreach (var e in spec.Events.Where(e => e.Kind == GridEventKind.HeatWave))
        {
            weather.AddDryBulbOffset(weatherOffsetS + e.Start.TotalSeconds, weatherOffsetS + e.End.TotalSeconds, e.MagnitudeK);
        }

        var parts = new HallTwinParts(
            sim, it, [.. hall.Racks.Select(r => r.IdlePowerW)], cooling, weather, calendar, site.UtcOffsetHours,
            new PowerPath(site.UpsLoss, site.PduLoss, site.OtherFixedW, site.OtherFractionOfIt),
            new GridConnection(site.GridCapacityW), new Ups(site.Ups), new Generator(site.Generator), site.Tariff,
            spec.Control.CreatePolicy(), spec.Control.MinSpeedFactor, spec.Events, Equipment(cooling),
            spec.Run.ControlStepS, spec.Run.OutputIntervalS);
        var twin = new HallTwin(parts) { Workers = Model.Parallel.StepWorkers.ForHall(spec.Run.Threads, hall.Racks.Count) };
        if (fluidHall is not null)
        {
            fluidHall.Workers = twin.Workers;
            twin.ArrivalForecast = fluidHall;
        }

        if (requestHall is not null)
        {
            // The lanes take every core by default (one a lane), where the per-rack work takes one thread per 512 racks.
            requestHall.Workers = Model.Parallel.StepWorkers.ForLanes(spec.Run.Threads, requestHall.LaneCount);
        }

        control = new ComputeControl(computeSpec, requestHall, fluidHall);
        foreach (var source in sources)
        {
            control.Add(source);
        }

        twin.Compute = control;
        twin.ShedTo = control.SetShedFraction;
        foreach (var c in spec.Controls)
        {
            twin.Schedule(c.Control, c.At);
        }

        // Each rack's inlet takes its share of the hall's recirculation by where it stands.
        var topology = Topology(spec);
        cooling.SetRecirculationWeights(RecirculationIndex.Weights(topology));
        return new BuiltTwin(twin, sim, requestHall, fluidHall, fidelity, topology);
    }

    /// <summary>The site's topology: the scenario's layout (or the default for its rack count) over its racks and plant.</summary>
    public static HallTopology Topology(ScenarioSpec spec)
    {
        var racks = spec.Hall.Racks.Select(r => new TopologyRack(r.Pool, r.Body ?? RackBody.Standard("standard-42U"), r.IdlePowerW)).ToList();
        var layout = spec.Layout ?? LayoutSpec.Default(racks.Count, racks.Max(r => r.Body.WidthM));
        return HallTopology.Create(layout, racks, spec.Cooling);
    }

    // A class's request sources on a request-level hall: one, or one per dispatch group at the group's share
    // of the rate (DispatchGroups). A window's sources draw from streams of its own, named after it.
    private static List<RequestSource> SourcesOf(Simulator sim, ComputeHall hall, ComputeHallSpec expanded, ClassWorkload c, int classIndex,
        SimTime until, SimTime? from, string? window)
    {
        var groups = DispatchGroups.GroupsOf(expanded, classIndex);
        if (groups.Count == 0)
        {
            return [Source($"workload/{c.Class.Name}", c.Arrivals, pool: null)];
        }

        return [.. groups.Select((g, k) => Source($"workload/{c.Class.Name}/group-{k + 1}", c.Arrivals.Scaled(g.Share), g.Pool))];

        RequestSource Source(string path, ArrivalSpec arrivals, string? pool)
        {
            string streams = window is null ? path + "/arrivals" : $"{path}/arrivals/{window}";
            var process = arrivals.Create(sim.Random.For(streams));
            return new RequestSource(sim, hall, c.Class.Name, process, window is null ? path : $"{path}/{window}", until, from, pool);
        }
    }

    private static Dictionary<string, Action<bool>> Equipment(CoolingSystem cooling)
    {
        var map = new Dictionary<string, Action<bool>>(StringComparer.Ordinal);
        for (int i = 0; i < cooling.Plant.Chillers.Count; i++)
        {
            int k = i;
            map[cooling.Plant.Chillers[i].Spec.Name] = failed => { if (failed) { cooling.TripChiller(k); } else { cooling.RestoreChiller(k); } };
            if (cooling.Plant.Chillers[i] is HybridChiller h)
            {
                // "<chiller>/engine": the engine fails (stops; its starts fail) while the motor drive stays available.
                map[h.Spec.Name + "/engine"] = failed => h.EngineFailed = failed;
            }
        }

        for (int i = 0; i < cooling.Cdus.Count; i++)
        {
            int k = i;
            map[cooling.Cdus[i].Spec.Name] = failed => { if (failed) { cooling.TripCdu(k); } else { cooling.RestoreCdu(k); } };
        }

        for (int i = 0; i < cooling.Spec.Crahs.Count; i++)
        {
            int k = i;
            map[cooling.Spec.Crahs[i].Name] = failed => { if (failed) { cooling.TripCrah(k); } else { cooling.RestoreCrah(k); } };
        }

        map["facility-pump"] = failed => { if (failed) { cooling.TripFacilityPump(); } else { cooling.RestoreFacilityPump(); } };
        return map;
    }
}
