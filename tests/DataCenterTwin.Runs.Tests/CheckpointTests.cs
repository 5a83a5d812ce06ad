using System.Text.Json;
using System.Text.Json.Serialization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Runs.Checkpoints;
using Google.Protobuf;

namespace DataCenterTwin.Runs.Tests;

/// <summary>
/// State checkpoints: a session saved at a random simulated time and restored into a fresh session
/// (built anew from the scenario, no object shared) runs on exactly as the unbroken run does. Broad on
/// purpose: every reference scenario at both fidelities, so that state a component keeps where the
/// checkpoint cannot see it fails here.
/// </summary>
public class CheckpointTests
{
    // Scenario, fidelity, horizon: short enough for a test, long enough to cross events and windows.
    public static TheoryData<string, string, string> Cases => new()
    {
        { "quick", "fluid", "1 d" },
        { "quick", "request", "1 h" },
        { "aircooled-retrofit", "fluid", "2 d" },
        { "aircooled-retrofit", "request", "20 min" },
        { "training-nvl72", "fluid", "1 d" },
        { "training-nvl72", "request", "30 min" },
        { "capacity-unlock-hybrid", "fluid", "2 d" },
        { "capacity-unlock-electric", "request", "15 min" },
        { "inference-on-training-plant", "fluid", "2 d" },
        { "inference-right-sized", "request", "10 min" },
        { "metro-campus-10x", "fluid", "12 h" },
        { "metro-campus-1184", "request", "5 min" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_restored_session_runs_on_exactly_as_the_unbroken_one(string scenario, string fidelity, string horizon)
    {
        var overrides = new Dictionary<string, string> { ["run.horizon"] = horizon, ["run.fidelity"] = fidelity };
        TwinSession Make() => TwinSession.FromFile(Repo.Path($"scenarios/{scenario}.yaml"), overrides);
        var rng = new System.Random(StableSeed(scenario + fidelity));
        var whole = Make();
        double horizonS = whole.Horizon.TotalSeconds;
        var at = SimTime.FromSeconds(horizonS * (0.1 + (0.8 * rng.NextDouble())) + rng.NextDouble());
        AssertContinuesExactly(Make, at);
    }

    [Fact]
    public void A_checkpoint_inside_a_request_window_with_requests_in_flight_restores_exactly()
    {
        // The metro hall's request-level hour moved to the first day, 20 minutes long, so a test reaches it.
        string path = Repo.Path("scenarios/metro-inference.yaml");
        string text = File.ReadAllText(path).Replace("horizon: 365 d", "horizon: 1 d", StringComparison.Ordinal)
            .Replace("- start: 195.5833 d\n      duration: 1 h", "- start: 0.5 d\n      duration: 20 min", StringComparison.Ordinal);
        Assert.Contains("duration: 20 min", text, StringComparison.Ordinal);
        TwinSession Make() => TwinSession.FromText(text, path);
        var rng = new System.Random(12);
        for (int i = 0; i < 2; i++)
        {
            var at = SimTime.FromSeconds(43_200 + (rng.NextDouble() * 1_200));
            var probe = Make();
            probe.RunUntil(at);
            Assert.True(probe.Built.RequestHall!.RequestsInFlight > 0, "requests are in flight at the checkpoint");
            AssertContinuesExactly(Make, at);
        }
    }

    [Fact]
    public void A_checkpoint_of_another_scenario_seed_or_fidelity_is_refused_with_a_clear_error()
    {
        var s = Repo.Quick("6 h");
        s.RunUntil(SimTime.FromHours(1));
        byte[] blob = s.SaveCheckpoint();

        var other = Repo.Quick("7 h");
        var ex = Assert.Throws<CheckpointException>(() => other.RestoreCheckpoint(blob));
        Assert.Contains("another scenario", ex.Message, StringComparison.Ordinal);

        var request = Repo.Quick("6 h", "request");
        ex = Assert.Throws<CheckpointException>(() => request.RestoreCheckpoint(blob));
        Assert.Contains("another scenario", ex.Message, StringComparison.Ordinal);

        var ran = Repo.Quick("6 h");
        ran.RunUntil(SimTime.FromMinutes(5));
        ex = Assert.Throws<CheckpointException>(() => ran.RestoreCheckpoint(blob));
        Assert.Contains("new session", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<CheckpointException>(() => Repo.Quick("6 h").RestoreCheckpoint([1, 2, 3, 4, 5]));
        Assert.Contains("not a checkpoint", ex.Message, StringComparison.Ordinal);

        // The same scenario at the other fidelity keeps its hash only if nothing else differs: the header says which.
        Assert.Equal("fluid", TwinSession.ReadHeader(blob).Fidelity);
        Assert.Equal(SimTime.FromHours(1).Ticks, TwinSession.ReadHeader(blob).SimTimeUs);
    }

    [Fact]
    public void A_checkpoint_of_an_older_format_version_is_refused_with_a_clear_error()
    {
        var s = Repo.Quick("6 h");
        s.RunUntil(SimTime.FromHours(1));
        var message = TwinCheckpoint.Parser.ParseFrom(s.SaveCheckpoint());
        message.Header.FormatVersion = TwinSession.CheckpointFormatVersion - 1;
        var ex = Assert.Throws<CheckpointException>(() => Repo.Quick("6 h").RestoreCheckpoint(message.ToByteArray()));
        Assert.Contains($"format version {TwinSession.CheckpointFormatVersion - 1}", ex.Message, StringComparison.Ordinal);

        // A state section written by another layout of the walk is refused too, not misread.
        message = TwinCheckpoint.Parser.ParseFrom(s.SaveCheckpoint());
        var state = message.Sections[0].State.ToByteArray();
        state[4] = 0x7F; // the walk's own format version, right after its magic number
        message.Sections[0].State = ByteString.CopyFrom(state);
        ex = Assert.Throws<CheckpointException>(() => Repo.Quick("6 h").RestoreCheckpoint(message.ToByteArray()));
        Assert.Contains("format 127", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_session_restored_from_a_checkpoint_carries_no_object_of_the_one_saved()
    {
        var s = Repo.Quick("6 h", "request");
        s.RunUntil(SimTime.FromHours(2));
        var r = TwinSession.FromCheckpoint(s.Spec, s.SaveCheckpoint());
        Assert.Equal(s.Now, r.Now);
        Assert.NotSame(s.Twin, r.Twin);
        Assert.Equal(s.Built.Simulator.EventsFired, r.Built.Simulator.EventsFired);
        Assert.Equal(s.Snapshot().TotalJ, r.Snapshot().TotalJ);

        // Running the original on changes nothing in the restored one.
        double before = r.Snapshot().TotalJ;
        s.RunUntil(SimTime.FromHours(3));
        Assert.Equal(before, r.Snapshot().TotalJ);
    }

    private static void AssertContinuesExactly(Func<TwinSession> make, SimTime at)
    {
        var whole = make();
        var wholeOut = Recorder.On(whole);
        whole.RunToHorizon();

        var before = make();
        var beforeOut = Recorder.On(before);
        before.RunUntil(at);
        byte[] blob = before.SaveCheckpoint();

        var after = make();
        var afterOut = Recorder.On(after);
        after.RestoreCheckpoint(blob);
        Assert.Equal(at, after.Now);
        after.RunToHorizon();

        var joined = beforeOut.Lines.Concat(afterOut.Lines).ToList();
        Assert.Equal(wholeOut.Lines.Count, joined.Count);
        for (int i = 0; i < joined.Count; i++)
        {
            Assert.True(wholeOut.Lines[i] == joined[i], $"output {i} of {joined.Count} differs after a checkpoint at {at}:\n  unbroken {wholeOut.Lines[i]}\n  restored {joined[i]}");
        }

        Assert.Equal(whole.Summary().ToJsonText(), after.Summary().ToJsonText());
    }

    private static int StableSeed(string s) => s.Aggregate(17, (h, c) => unchecked((h * 31) + c));

    /// <summary>Every output interval, event and finished request, each as exact JSON (doubles round-trip).</summary>
    internal sealed class Recorder : ITwinObserver, IRequestSink
    {
        private static readonly JsonSerializerOptions s_json = new()
        {
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        public List<string> Lines { get; } = [];

        public static Recorder On(TwinSession s)
        {
            var r = new Recorder();
            s.Subscribe((ITwinObserver)r);
            s.Subscribe((IRequestSink)r);
            return r;
        }

        public void OnFacilityInterval(in FacilitySample interval) => Lines.Add("f " + JsonSerializer.Serialize(interval, s_json));

        public void OnRackInterval(in RackSample interval) => Lines.Add("r " + JsonSerializer.Serialize(interval, s_json));

        public void OnPlantInterval(in PlantSample interval) => Lines.Add("p " + JsonSerializer.Serialize(interval, s_json));

        public void OnEvent(in TwinEvent e) => Lines.Add("e " + JsonSerializer.Serialize(e, s_json));

        public void OnFinished(in RequestRecord record) => Lines.Add("q " + JsonSerializer.Serialize(record, s_json));
    }
}
