using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Runs.Checkpoints;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Sections;
using Google.Protobuf;

namespace DataCenterTwin.Runs;

// State checkpoints: the whole session (clock and queue, random streams, both halls with every
// request in flight, cooling and plant, power path, books, metrics, arrivals, policies, the
// session's own accumulators) as one TwinCheckpoint message. The kernel's StateGraph does the
// walking; a component adds state by adding a field (see README, "Checkpoints").
public sealed partial class TwinSession
{
    /// <summary>The version of the checkpoint envelope; a blob of another version is refused.</summary>
    public const uint CheckpointFormatVersion = 1;

    private const string TwinSection = "twin";

    // Numbers every object of the twin as built, so that a fresh twin of the same scenario can take a checkpoint in place.
    [NotState]
    private readonly StateGraph _graph;

    [NotState]
    private bool _ran;

    /// <summary>The state now, as the bytes of a <see cref="TwinCheckpoint"/> message. Call it between run calls.</summary>
    public byte[] SaveCheckpoint() => SaveCheckpoint([]);

    /// <summary>
    /// Replaces this session's state with <paramref name="checkpoint"/>'s. The session must be new
    /// (built and never run) and of the same scenario, seed and fidelity; it then continues exactly as
    /// the session that saved it would have. Observers and subscriptions here stay as they are.
    /// </summary>
    /// <exception cref="CheckpointException">The blob is not a checkpoint, is of another format version, scenario, seed or fidelity, or this session has run.</exception>
    public void RestoreCheckpoint(ReadOnlySpan<byte> checkpoint) => RestoreCheckpoint(checkpoint, []);

    /// <summary>A new session of <paramref name="spec"/> at the fidelity the checkpoint was taken at, with its state restored.</summary>
    public static TwinSession FromCheckpoint(ScenarioSpec spec, ReadOnlySpan<byte> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var header = ReadHeader(checkpoint);
        var session = new TwinSession(spec, header.Fidelity == "request" ? Fidelity.Request : Fidelity.Fluid);
        session.RestoreCheckpoint(checkpoint);
        return session;
    }

    /// <summary>The header of a checkpoint: what it is of, and when.</summary>
    /// <exception cref="CheckpointException">Not a checkpoint.</exception>
    public static CheckpointHeader ReadHeader(ReadOnlySpan<byte> checkpoint) => Parse(checkpoint).Header;

    /// <summary>Saves with <paramref name="companions"/>: objects made beside the session (a run folder's recorders) whose state travels with it.</summary>
    internal byte[] SaveCheckpoint(IReadOnlyList<object> companions)
    {
        var writer = new StateWriter(64 * 1024);
        _graph.Save(writer, companions);
        var message = new TwinCheckpoint
        {
            Header = new CheckpointHeader
            {
                FormatVersion = CheckpointFormatVersion,
                ScenarioHash = Spec.Hash,
                Seed = Spec.Run.Seed,
                Fidelity = FidelityName(Built.Fidelity),
                SimTimeUs = _now.Ticks,
                ProgramVersion = typeof(TwinSession).Assembly.GetName().Version?.ToString() ?? "0",
                Companions = (uint)companions.Count,
            },
        };
        message.Sections.Add(new CheckpointSection { Name = TwinSection, State = UnsafeByteOperations.UnsafeWrap(writer.ToArray()) });
        return message.ToByteArray();
    }

    /// <summary>Restores with <paramref name="companions"/> made the same way as those saved.</summary>
    internal void RestoreCheckpoint(ReadOnlySpan<byte> checkpoint, IReadOnlyList<object> companions)
    {
        var message = Parse(checkpoint);
        var h = message.Header;
        if (h.FormatVersion != CheckpointFormatVersion)
        {
            throw new CheckpointException($"the checkpoint is of format version {h.FormatVersion}; this program reads version {CheckpointFormatVersion} (written by dctwin {h.ProgramVersion})");
        }

        if (!string.Equals(h.ScenarioHash, Spec.Hash, StringComparison.Ordinal))
        {
            throw new CheckpointException($"the checkpoint is of another scenario (hash {Short(h.ScenarioHash)}…, this one {Short(Spec.Hash)}…)");
        }

        if (h.Seed != Spec.Run.Seed)
        {
            throw new CheckpointException($"the checkpoint was taken with seed {h.Seed}, this session has seed {Spec.Run.Seed}");
        }

        if (!string.Equals(h.Fidelity, FidelityName(Built.Fidelity), StringComparison.Ordinal))
        {
            throw new CheckpointException($"the checkpoint was taken at {h.Fidelity} level, this session runs at {FidelityName(Built.Fidelity)} level");
        }

        if (h.Companions != companions.Count)
        {
            throw new CheckpointException($"the checkpoint carries {h.Companions} companion object(s), {companions.Count} given");
        }

        if (_ran)
        {
            throw new CheckpointException("a checkpoint is restored into a new session, never one that has run");
        }

        var section = message.Sections.FirstOrDefault(s => s.Name == TwinSection) ?? throw new CheckpointException("the checkpoint has no twin section");
        try
        {
            _graph.Restore(new StateReader(section.State.Memory), companions);
        }
        catch (InvalidDataException ex)
        {
            throw new CheckpointException(ex.Message, ex);
        }

        _ran = true;
    }

    private static TwinCheckpoint Parse(ReadOnlySpan<byte> checkpoint)
    {
        try
        {
            var message = TwinCheckpoint.Parser.ParseFrom(checkpoint);
            return message.Header is null ? throw new CheckpointException("not a checkpoint: it has no header") : message;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new CheckpointException($"not a checkpoint: {ex.Message}", ex);
        }
    }

    private static string FidelityName(Fidelity f) => f == Fidelity.Request ? "request" : "fluid";

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}

/// <summary>A checkpoint that cannot be restored here, and why.</summary>
public sealed class CheckpointException : Exception
{
    /// <summary>A checkpoint refused for <paramref name="message"/>.</summary>
    public CheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>A checkpoint refused for <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public CheckpointException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>An unexplained refusal.</summary>
    public CheckpointException()
    {
    }
}
