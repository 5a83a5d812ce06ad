using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs.Folder;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Runs.Tests;

public class SessionTests
{
    private static readonly TwinControl GasOnHybrid = new(ControlKind.ChillerMode, 0, "hybrid-1", ChillerModeSetting.Gas);

    [Fact]
    public void Run_control_steps_stops_and_reaches_the_horizon()
    {
        var s = Repo.Quick("6 h");
        Assert.Equal(SimTime.FromHours(1), s.RunUntil(SimTime.FromHours(1)));
        Assert.Equal(60, s.Twin.Steps);
        s.StepControlSteps(30);
        Assert.Equal(90, s.Twin.Steps);
        s.Step(SimTime.FromMinutes(30));
        Assert.Equal(SimTime.FromHours(2), s.Now);

        // A stop asked from the progress callback (as another thread would) ends the run at that control step.
        s.Progress = new StopAt(s, 3 * 3600);
        var reached = s.RunToHorizon();
        Assert.True(s.Stopped);
        Assert.Equal(3 * 3600, reached.TotalSeconds, 6);
        s.Progress = null;
        s.RunToHorizon();
        Assert.False(s.Stopped);
        Assert.Equal(s.Horizon, s.Now);
        Assert.Equal(360, s.Twin.Steps);
    }

    [Fact]
    public void Cancellation_stops_a_run_and_changes_nothing_after()
    {
        var s = Repo.Quick("6 h");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        s.RunUntil(SimTime.FromHours(1), cts.Token);
        Assert.True(s.Stopped);
        Assert.Equal(0, s.Twin.Steps);
    }

    private sealed class StopAt(TwinSession s, double atS) : IProgress<double>
    {
        public void Report(double value)
        {
            if (value >= atS)
            {
                s.Stop();
            }
        }
    }

    [Fact]
    public void Bad_calls_get_a_clear_error_and_change_nothing()
    {
        var s = Repo.Quick("6 h");
        s.RunUntil(SimTime.FromHours(1));
        var before = s.Twin.Controls.Count;
        AssertBad(() => s.Apply(GasOnHybrid, SimTime.FromMinutes(30)), "past");
        AssertBad(() => s.Apply(new TwinControl(ControlKind.ItCap, 10e3, "rack-99")), "rack-99");
        AssertBad(() => s.Apply(new TwinControl(ControlKind.ChillerMode, 0, "chiller-9", ChillerModeSetting.Electric)), "chiller-9");
        AssertBad(() => s.Apply(new TwinControl(ControlKind.ChillerMode, 0, "chiller-2", ChillerModeSetting.Gas)), "no gas mode");
        AssertBad(() => s.Apply(new TwinControl(ControlKind.ItCap, -5, "rack-0")), "negative");
        AssertBad(() => s.Apply(new TwinControl(ControlKind.ShedFraction, 1.5)), "outside 0 to 1");
        AssertBad(() => s.Inject(new GridEventSpec(GridEventKind.Outage, SimTime.FromMinutes(10), SimTime.FromMinutes(5))), "past");
        AssertBad(() => s.Inject(new GridEventSpec(GridEventKind.EquipmentFailure, SimTime.FromHours(2), SimTime.FromMinutes(5), Target: "pump-77")), "pump-77");
        AssertBad(() => s.Inject(new GridEventSpec(GridEventKind.Curtailment, SimTime.FromHours(2), SimTime.FromMinutes(5), MagnitudeW: -50e3)), "zero or more");
        AssertBad(() => s.Inject(new GridEventSpec(GridEventKind.DemandResponse, SimTime.FromHours(2), SimTime.FromMinutes(5), MagnitudeW: double.NaN)), "zero or more");
        AssertBad(() => s.Inject(new GridEventSpec(GridEventKind.HeatWave, SimTime.FromHours(2), SimTime.FromHours(1), MagnitudeK: 80)), "30 K");
        Assert.Equal(before, s.Twin.Controls.Count);
        Assert.Empty(s.Twin.Events);
    }

    private static void AssertBad(Action call, string says)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Contains(says, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manual_chiller_mode_holds_against_the_policy_until_released()
    {
        // The capacity-unlock policy keeps the hybrid electric while there is grid headroom; held on gas it stays on gas.
        var s = Repo.Quick("6 h");
        s.RunUntil(SimTime.FromHours(1));
        var hybrid = (Model.Cooling.HybridChiller)s.Twin.Parts.Cooling.Plant.Chillers[0];
        Assert.Equal(0, hybrid.TargetGasShare);
        s.Apply(GasOnHybrid);
        for (int i = 0; i < 120; i++)
        {
            s.StepControlSteps(1);
            Assert.Equal(1, hybrid.TargetGasShare);
        }

        Assert.Equal(ChillerModeSetting.Gas, s.Twin.ChillerMode(0));
        s.Apply(GasOnHybrid with { Mode = ChillerModeSetting.Automatic });
        s.StepControlSteps(2);
        Assert.Equal(0, hybrid.TargetGasShare);
    }

    [Fact]
    public void An_it_cap_on_one_rack_holds_and_leaves_the_others()
    {
        var s = Repo.Quick("6 h");
        s.RunUntil(SimTime.FromHours(1));
        double idle = s.Twin.Parts.RackIdlePowerW[0];
        double before = s.Twin.RackPowerW[0];
        double cap = idle + (before - idle) * 0.5;
        s.Apply(new TwinControl(ControlKind.ItCap, cap, "rack-0"));
        s.StepControlSteps(30);
        var snapshot = s.Snapshot();
        for (int i = 0; i < 60; i++)
        {
            s.StepControlSteps(1);
            Assert.InRange(s.Twin.RackPowerW[0], 0, cap * 1.05);
        }

        Assert.True(snapshot.RackSpeedFactor[0] < 1);
        Assert.Equal(1, snapshot.RackSpeedFactor[1]);
    }

    [Fact]
    public void Shedding_at_request_level_sheds_the_fraction_asked_for()
    {
        var s = Repo.Quick("2 h", "request");
        s.Apply(new TwinControl(ControlKind.ShedFraction, 0.25));
        s.RunToHorizon();
        var m = s.Built.RequestHall!.Metrics[0];
        // Every fourth arrival of the lowest-priority class is refused: a quarter, to one request.
        long shed = m.Rejected;
        Assert.InRange(shed, (long)Math.Floor(m.Arrived * 0.25) - 1, (long)Math.Ceiling(m.Arrived * 0.25) + 1);
        Assert.True(m.Arrived > 1000);
    }

    [Fact]
    public void Arrival_scale_changes_the_arrival_count_as_expected()
    {
        var a = Repo.Quick("2 h", "request");
        a.RunToHorizon();
        var b = Repo.Quick("2 h", "request");
        b.Apply(new TwinControl(ControlKind.ArrivalScale, 2, "chat"));
        b.RunToHorizon();
        double ratio = b.Built.RequestHall!.Metrics[0].Arrived / (double)a.Built.RequestHall!.Metrics[0].Arrived;
        // Each arrival stands for exactly two: the count doubles exactly.
        Assert.Equal(2.0, ratio, 9);

        var f1 = Repo.Quick("2 h");
        f1.RunToHorizon();
        var f2 = Repo.Quick("2 h");
        f2.Apply(new TwinControl(ControlKind.ArrivalScale, 0.5, "chat"));
        f2.RunToHorizon();
        Assert.Equal(0.5, f2.Built.FluidHall!.Metrics[0].Arrived / f1.Built.FluidHall!.Metrics[0].Arrived, 9);
    }

    [Fact]
    public void A_reader_thread_never_sees_a_torn_snapshot()
    {
        // A week, and the run waits for the reader to start: a day ran in 22 ms on a loaded two-core
        // machine, over before the reader was first scheduled.
        var s = Repo.Quick("7 d");
        s.PublishSnapshots = true;
        bool done = false;
        int read = 0, bad = 0;
        using var started = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            var mine = s.NewSnapshot();
            started.Set();
            while (!Volatile.Read(ref done))
            {
                if (!s.CopySnapshot(mine))
                {
                    continue;
                }

                read++;
                double racks = mine.RackPowerW.Sum();
                bool powerAddsUp = Math.Abs(racks - mine.ItW) <= 1e-6 * Math.Max(1, mine.ItW);
                bool energyAddsUp = Math.Abs(mine.ItJ + mine.CoolingJ + mine.LossesJ + mine.OtherJ - mine.TotalJ) <= 1e-6 * Math.Max(1, mine.TotalJ);
                bool timeMatchesSteps = Math.Abs(mine.TimeS - mine.Step * 60) < 1e-6;
                if (!powerAddsUp || !energyAddsUp || !timeMatchesSteps)
                {
                    bad++;
                }
            }
        });
        reader.Start();
        started.Wait();
        s.RunToHorizon();
        Volatile.Write(ref done, true);
        reader.Join();
        Assert.True(read > 0);
        Assert.Equal(0, bad);
    }

    [Theory]
    [InlineData("fluid")]
    [InlineData("request")]
    public void Snapshot_rack_utilisation_weighted_by_accelerators_is_the_hall_figure(string fidelity)
    {
        var s = Repo.Quick("2 h", fidelity);
        s.PublishSnapshots = true;
        s.RunUntil(SimTime.FromHours(2));
        var snapshot = s.Snapshot();
        var it = s.Twin.Parts.It;
        double busy = 0, accels = 0;
        for (int r = 0; r < snapshot.RackUtilisation.Length; r++)
        {
            Assert.InRange(snapshot.RackUtilisation[r], 0, 1);
            busy += snapshot.RackUtilisation[r] * it.RackAccelerators(r);
            accels += it.RackAccelerators(r);
        }

        Assert.True(snapshot.Utilisation > 0);
        Assert.Equal(snapshot.Utilisation, busy / accels, 9);
        Assert.Contains(snapshot.RackUtilisation, u => u > 0);
    }

    [Fact]
    public void Publishing_a_snapshot_every_control_step_allocates_nothing()
    {
        var s = TwinSession.FromFile(Repo.Path("scenarios/metro-inference.yaml"), new Dictionary<string, string> { ["run.horizon"] = "5 d" });
        s = new TwinSession(s.Spec with { Run = s.Spec.Run with { Windows = [] } }) { PublishSnapshots = true };
        var mine = s.NewSnapshot();
        s.RunUntil(SimTime.FromDays(2));
        long before = GC.GetAllocatedBytesForCurrentThread();
        s.RunUntil(SimTime.FromDays(4));
        Assert.True(s.CopySnapshot(mine));
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(bytes < 1_024, $"{bytes} bytes allocated over 2,880 control steps with snapshots");
        Assert.Equal(4 * 86400, mine.TimeS, 6);
        Assert.Equal(mine.ItW, mine.RackPowerW.Sum(), 6);
    }

    [Fact]
    public void Controls_and_injected_events_are_logged_with_their_source_at_their_time()
    {
        var s = Repo.Quick("6 h", "request");
        var log = new Log();
        using var sub = s.Subscribe(log);
        s.Apply(new TwinControl(ControlKind.DispatchPolicy, 0, "chat", Text: "round-robin", Source: "alice"), SimTime.FromHours(1));
        s.Apply(new TwinControl(ControlKind.SupplyAirSetpoint, 22, Source: "bob"), SimTime.FromHours(2));
        s.Inject(new GridEventSpec(GridEventKind.HeatWave, SimTime.FromHours(3), SimTime.FromHours(2), MagnitudeK: 8));
        double before = s.Twin.WeatherOffsetS;
        s.RunToHorizon();
        var manual = log.Events.Where(e => e.Kind == TwinEventKind.ManualControl).ToList();
        Assert.Equal(2, manual.Count);
        Assert.Equal(("alice", 3600.0), (manual[0].Source, Math.Round(manual[0].TimeS, 3)));
        Assert.Contains("round-robin", manual[0].Description, StringComparison.Ordinal);
        Assert.Equal(("bob", 7200.0), (manual[1].Source, Math.Round(manual[1].TimeS, 3)));
        Assert.Equal(22, s.Twin.Parts.Cooling.SupplyAirSetpointC);
        Assert.Contains(log.Events, e => e.Kind == TwinEventKind.EventStart && e.Source == "heat-wave" && Math.Abs(e.TimeS - 3 * 3600) < 1e-3);
        Assert.Single(s.Twin.Outcomes);
        Assert.Equal(before, s.Twin.WeatherOffsetS);

        // The heat wave adds its 8 K to the outdoor air inside its window and nowhere else.
        var plain = Repo.Quick("6 h", "request");
        var plainLog = new Log();
        using var plainSub = plain.Subscribe(plainLog);
        plain.RunToHorizon();
        var hot = log.Intervals.ToDictionary(i => i.StartS, i => i.OutdoorDryBulbC);
        foreach (var i in plainLog.Intervals)
        {
            double expected = i.StartS >= 3 * 3600 && i.StartS + i.DurationS <= 5 * 3600 ? 8 : i.StartS + i.DurationS <= 3 * 3600 || i.StartS >= 5 * 3600 + 60 ? 0 : double.NaN;
            if (!double.IsNaN(expected))
            {
                Assert.Equal(expected, hot[i.StartS] - i.OutdoorDryBulbC, 6);
            }
        }
    }

    private sealed class Log : ITwinObserver
    {
        public List<TwinEvent> Events { get; } = [];

        public List<FacilitySample> Intervals { get; } = [];

        public void OnFacilityInterval(in FacilitySample interval) => Intervals.Add(interval);

        public void OnRackInterval(in RackSample interval)
        {
        }

        public void OnPlantInterval(in PlantSample interval)
        {
        }

        public void OnEvent(in TwinEvent e) => Events.Add(e);
    }

    [Fact]
    public void Observers_come_and_go_at_any_time()
    {
        var s = Repo.Quick("6 h");
        var intervals = new Intervals();
        var sub = s.Subscribe(intervals);
        s.RunUntil(SimTime.FromHours(2));
        sub.Dispose();
        s.RunUntil(SimTime.FromHours(4));
        Assert.Equal(8, intervals.Count);
        var steps = new Steps();
        using (s.Subscribe((IControlStepObserver)steps))
        {
            s.StepControlSteps(10);
        }

        s.StepControlSteps(10);
        Assert.Equal(10, steps.Count);
    }

    private sealed class Intervals : ITwinObserver
    {
        public int Count { get; private set; }

        public void OnFacilityInterval(in FacilitySample interval) => Count++;

        public void OnRackInterval(in RackSample interval)
        {
        }

        public void OnPlantInterval(in PlantSample interval)
        {
        }

        public void OnEvent(in TwinEvent e)
        {
        }
    }

    private sealed class Steps : IControlStepObserver
    {
        public int Count { get; private set; }

        public void OnControlStep(HallTwin twin) => Count++;
    }

    [Fact]
    public void Forks_with_the_same_controls_agree_and_with_different_ones_differ_only_after_the_fork()
    {
        var s = Repo.Quick("12 h");
        s.Apply(new TwinControl(ControlKind.ItCap, 60e3, "hall"), SimTime.FromHours(2));
        s.Inject(new GridEventSpec(GridEventKind.Curtailment, SimTime.FromHours(3), SimTime.FromHours(1), 150e3));
        s.RunUntil(SimTime.FromHours(6));
        var atFork = s.Snapshot();
        var a = s.Fork();
        var b = s.Fork();
        var c = s.Fork();
        Assert.Equal(atFork.TotalJ, a.Snapshot().TotalJ);
        Assert.Equal(atFork.RackPowerW, c.Snapshot().RackPowerW);
        a.Apply(GasOnHybrid);
        b.Apply(GasOnHybrid);
        foreach (var x in new[] { a, b, c })
        {
            x.RunToHorizon();
        }

        Assert.Equal(a.Summary().ToJsonText(), b.Summary().ToJsonText());
        Assert.True(a.Twin.Ledger.GasJ > c.Twin.Ledger.GasJ);
        Assert.NotEqual(a.Twin.Ledger.GridJ, c.Twin.Ledger.GridJ);
    }

    [Fact]
    public void A_session_driven_by_calls_writes_what_dctwin_run_of_the_same_controls_writes()
    {
        const string extra = """
            controls:
              - at: 2 h
                kind: chiller-mode
                target: hybrid-1
                mode: gas-share
                value: 0.6
                source: test
              - at: 3 h
                kind: it-cap
                target: rack-1
                value: 5 kW
                source: test
              - at: 4 h
                kind: shed
                value: 0.2
                source: test
              - at: 5 h
                kind: facility-water-setpoint
                value: 12 C
                source: test
            events:
              - kind: outage
                at: 270 min
                duration: 5 min
            """;
        string text = Repo.QuickText(extra).Replace("  horizon: 1 d", "  horizon: 8 h", StringComparison.Ordinal);
        var (withControls, errors) = ScenarioLoader.LoadText(text, Repo.Path("scenarios/quick-controls.yaml"), AssetPaths.FindAssetsDirectory());
        Assert.True(withControls is not null, string.Join("\n", errors));
        Assert.Equal(4, withControls.Controls.Count);

        string byScenario = Directory.CreateTempSubdirectory("dctwin-scenario").FullName;
        Assert.Equal(RunOutcome.Completed, RunFolder.Run(new TwinSession(withControls), byScenario, true, false, null, TextWriter.Null, out var expected));

        // The same scenario (its hash names the controls) without them, driven by calls instead.
        var session = new TwinSession(withControls with { Events = [], Controls = [] });
        foreach (var c in withControls.Controls)
        {
            session.Apply(c.Control, c.At);
        }

        foreach (var e in withControls.Events)
        {
            session.Inject(e);
        }

        string byCalls = Directory.CreateTempSubdirectory("dctwin-calls").FullName;
        Assert.Equal(RunOutcome.Completed, RunFolder.Run(session, byCalls, true, false, null, TextWriter.Null, out var actual));
        Assert.Equal(Without(expected!), Without(actual!));
        var files = Directory.EnumerateFiles(byScenario, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(byScenario, f)).Order().ToList();
        Assert.NotEmpty(files);
        foreach (string f in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(byScenario, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(byCalls, f))), f);
        }

        Assert.True(expected!["events"] >= 1);
        Assert.True(expected["requests_rejected"] > 0);
    }

    private static string Without(RunSummary s) => (s with { Figures = [.. s.Figures.Where(f => f.Key != "wall_s")] }).ToJsonText();

    [Fact]
    public void Summary_reads_back_as_it_was_written()
    {
        var s = Repo.Quick("3 h");
        s.RunToHorizon();
        var summary = s.Summary(1.5);
        var back = RunSummary.Parse(summary.ToJsonText());
        Assert.Equal(summary.ToJsonText(), back.ToJsonText());
        Assert.Equal(summary["energy_it_kwh"], back["energy_it_kwh"]);
        Assert.Equal("kWh", back.UnitOf("energy_it_kwh"));
    }
}
