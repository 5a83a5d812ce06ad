using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Parallel;

namespace DataCenterTwin.Model.Workload;

/// <summary>
/// A request source's draws (arrival times, token counts), made a chunk ahead of their use: while
/// the source reads one chunk, the next is filled, on the background thread when the hall's lanes
/// run on threads of their own (<see cref="BackgroundFills"/>), on the lane's own otherwise or when
/// the background thread has enough waiting. Wherever it is filled, the numbers are those drawn one at
/// a time from the same streams in the same order, and the state at each of the twin's events is
/// the same: the chunk in use, the next one filled, the streams after it (the hall settles a fill
/// in flight before its lanes' advance returns), so outputs and checkpoints do not depend on the threads.
/// </summary>
/// <remarks>
/// The drawing is a share of the busiest lane's time a request (the metro day's chat lane: about
/// 7 %: an exponential and a uniform per candidate arrival, and table reads per token count), and
/// nothing in the lane reads what it changes, so it is the part that moves to another core exactly.
/// </remarks>
public abstract class DrawnAhead : IBackgroundFill, ICheckpointState
{
    /// <summary>Values a chunk holds; a chunk filled short ends the stream.</summary>
    public const int Chunk = 4096;

    private readonly ComputeHall _hall;
    private long[] _current = new long[Chunk];
    private long[] _next = new long[Chunk];
    private int _currentCount;
    private int _nextCount;
    private int _at;
    private int _filling; // 1 while the background thread fills _next
    [NotState]
    private ExceptionDispatchInfo? _failure;

    /// <summary>Registers with the hall, which settles fills in flight after each advance of its lanes.</summary>
    protected DrawnAhead(ComputeHall hall)
    {
        _hall = hall;
        hall.AddDrawnAhead(this);
    }

    /// <summary>Fills the first two chunks, on the caller's thread; a subclass calls it once it is ready to draw.</summary>
    protected void Start()
    {
        _currentCount = Fill(_current);
        _nextCount = _currentCount == Chunk ? Fill(_next) : 0;
    }

    /// <summary>Draws the next values into <paramref name="buffer"/> in order; returns how many, fewer than its length when the stream ends.</summary>
    protected abstract int Fill(long[] buffer);

    /// <summary>The next value, or false when the stream has ended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(out long value)
    {
        if (_at < _currentCount)
        {
            value = _current[_at++];
            return true;
        }

        return TakeFromNext(out value);
    }

    private bool TakeFromNext(out long value)
    {
        value = 0;
        if (_currentCount < Chunk)
        {
            return false;
        }

        Settle();
        (_current, _next) = (_next, _current);
        _currentCount = _nextCount;
        _nextCount = 0;
        _at = 0;
        if (_currentCount == Chunk)
        {
            Volatile.Write(ref _filling, 1);
            if (!_hall.FillsInBackground || !BackgroundFills.TryPost(this))
            {
                // Where the background thread is not used or has enough waiting, the same fill here.
                _filling = 0;
                _nextCount = Fill(_next);
            }
        }

        return TryTake(out value);
    }

    /// <summary>Waits for a fill in flight (the reader needs it, or the hall's lanes have reached one of the twin's events).</summary>
    public void Settle()
    {
        if (Volatile.Read(ref _filling) != 0)
        {
            // A chunk is requested a chunk before it is needed, and filling it takes a fraction of
            // reading one, so this waits only when the background thread was not run in time.
            var spin = default(SpinWait);
            while (Volatile.Read(ref _filling) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        if (_failure is { } failure)
        {
            _failure = null;
            failure.Throw();
        }
    }

    void IBackgroundFill.FillInBackground()
    {
        try
        {
            _nextCount = Fill(_next);
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }

        Volatile.Write(ref _filling, 0);
    }

    // The fields hold the state only between fills; the hall settles every fill before the twin's
    // next event, where checkpoints are taken, so a fill in flight here is a fault, named.
    void ICheckpointState.SaveState(StateWriter writer)
    {
        if (Volatile.Read(ref _filling) != 0)
        {
            throw new InvalidOperationException("A request source's draws were being filled on the background thread when the twin was saved.");
        }
    }

    void ICheckpointState.RestoreState(StateReader reader)
    {
    }
}

/// <summary>Arrival times (ticks) of a process that nothing else reads (<see cref="IArrivalProcess.DrawsAlone"/>), up to a bound.</summary>
public sealed class ArrivalTimesAhead : DrawnAhead
{
    private readonly IArrivalProcess _arrivals;
    private readonly long _untilTicks;

    /// <summary>Draws the first two chunks of <paramref name="arrivals"/>' times before <paramref name="untilTicks"/>.</summary>
    public ArrivalTimesAhead(ComputeHall hall, IArrivalProcess arrivals, long untilTicks)
        : base(hall)
    {
        _arrivals = arrivals;
        _untilTicks = untilTicks;
        Start();
    }

    /// <inheritdoc/>
    protected override int Fill(long[] buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            // The first arrival at or after the bound ends the stream, drawn as the source drew it one at a time.
            if (!_arrivals.TryNext(out var next) || next.Time.Ticks >= _untilTicks)
            {
                return i;
            }

            buffer[i] = next.Time.Ticks;
        }

        return buffer.Length;
    }
}

/// <summary>
/// Prompt and output token counts of a class, drawn from a source's stream (prompt then output, per
/// request), packed as prompt × 2^32 + output; the stream never ends.
/// </summary>
public sealed class TokenCountsAhead : DrawnAhead
{
    // Where both counts are one uniform read through a table, the uniforms of a block come first and
    // the table reads after, which depend on nothing but their own uniform: the reads (a cache miss
    // each on a busy hall) overlap instead of waiting one by one.
    private const int Block = 32;
    private readonly RequestClass _class;
    private readonly RandomStream _tokens;
    [NotState]
    private readonly double[]? _uniforms;

    /// <summary>Draws the first two chunks of <paramref name="requestClass"/>'s counts from <paramref name="tokens"/>.</summary>
    public TokenCountsAhead(ComputeHall hall, RequestClass requestClass, RandomStream tokens)
        : base(hall)
    {
        _class = requestClass;
        _tokens = tokens;
        if (requestClass.PromptTokens.IsOneUniform && requestClass.OutputTokens.IsOneUniform)
        {
            _uniforms = new double[2 * Block];
        }

        Start();
    }

    /// <inheritdoc/>
    protected override int Fill(long[] buffer)
    {
        var cls = _class;
        if (_uniforms is not { } u)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                long prompt = cls.PromptTokens.Sample(_tokens);
                buffer[i] = (prompt << 32) | (uint)cls.OutputTokens.Sample(_tokens);
            }

            return buffer.Length;
        }

        for (int b = 0; b < buffer.Length; b += Block)
        {
            for (int i = 0; i < u.Length; i++)
            {
                u[i] = _tokens.NextDouble();
            }

            cls.PromptTokens.FromUniformsInPlace(u, 0, 2);
            cls.OutputTokens.FromUniformsInPlace(u, 1, 2);
            for (int i = 0; i < Block; i++)
            {
                buffer[b + i] = ((long)u[2 * i] << 32) | (uint)(int)u[(2 * i) + 1];
            }
        }

        return buffer.Length;
    }
}
