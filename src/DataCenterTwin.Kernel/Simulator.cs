using System.Runtime.CompilerServices;
using DataCenterTwin.Kernel.Checkpoint;
using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Kernel;

/// <summary>
/// The discrete-event engine: a clock, a queue of pending events ordered by (time, insertion
/// sequence) so that ties fire in the order they were scheduled, registered handlers, and the
/// run's random streams. Scheduling and firing allocate nothing once the queue has grown to size.
/// One thread per simulator; its lanes (Simulator.Lanes.cs) may run on other threads between its events.
/// </summary>
public sealed partial class Simulator
{
    private IEventHandler[] _handlers = new IEventHandler[8];

    // Each handler's OnEvent bound once: a delegate call goes straight to the handler's method,
    // where an interface call from the one site that fires every handler goes through the
    // runtime's polymorphic stub, a hash look-up per event. Bound at registration, or at a
    // handler's first event where a restored checkpoint brought handlers registered after building.
    [NotState]
    private EventCallback[] _callbacks = new EventCallback[8];
    // Each handler's IEventPrefetcher.Prefetch bound once, null for handlers that are not one; the
    // same handlers are registered again before a restore, so this is rebuilt with them.
    [NotState]
    private PrefetchCallback?[] _prefetchers = new PrefetchCallback?[8];
    private string[] _handlerPaths = new string[8];
    private int _handlerCount;
    private readonly Dictionary<string, int> _handlerByPath = new(StringComparer.Ordinal);

    private long _now;
    private long _sequence = 1;
    private int _liveCount;
    private bool _stopRequested;

    /// <summary>Creates an empty simulator at time zero whose random streams derive from <paramref name="seed"/>.</summary>
    public Simulator(ulong seed = 0, int initialCapacity = 64)
    {
        Random = new RandomStreams(seed);
        _heap = new HeapEntry[Math.Max(4, initialCapacity)];
    }

    /// <summary>The current simulation time.</summary>
    public SimTime Now => new(_now);

    /// <summary>The run's random streams, one per component path.</summary>
    public RandomStreams Random { get; }

    /// <summary>Events fired since the simulator was created, its lanes' included (restored with a checkpoint).</summary>
    public long EventsFired => _lanes.Length == 0 ? _fired : _fired + LanesFired();

    private long _fired;

    /// <summary>Events fired on this simulator's own queue, its lanes' not included.</summary>
    public long OwnEventsFired => _fired;

    /// <summary>Events pending now (cancelled events are not counted).</summary>
    public int PendingCount => _liveCount;

    /// <summary>The most events that were ever pending at once.</summary>
    public int PendingHighWaterMark { get; private set; }

    /// <summary>Whether <see cref="Stop"/> was called during the current run call.</summary>
    public bool IsStopRequested => _stopRequested;

    /// <summary>
    /// Registers a long-lived handler under a unique path (<c>hall/row3/rack7</c>); a checkpoint
    /// names handlers by these paths.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or already registered.</exception>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxHandlers"/> handlers.</exception>
    public HandlerId Register(IEventHandler handler, string path)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (_handlerCount == MaxHandlers)
        {
            throw new InvalidOperationException($"At most {MaxHandlers} handlers: register components, not items.");
        }

        if (!_handlerByPath.TryAdd(path, _handlerCount))
        {
            throw new ArgumentException($"A handler is already registered as '{path}'.", nameof(path));
        }

        if (_handlerCount == _handlers.Length)
        {
            Array.Resize(ref _handlers, _handlers.Length * 2);
            Array.Resize(ref _handlerPaths, _handlerPaths.Length * 2);
        }

        if (_callbacks.Length < _handlers.Length)
        {
            Array.Resize(ref _callbacks, _handlers.Length);
        }

        if (_prefetchers.Length < _handlers.Length)
        {
            Array.Resize(ref _prefetchers, _handlers.Length);
        }

        _handlers[_handlerCount] = handler;
        _callbacks[_handlerCount] = handler.OnEvent;
        _prefetchers[_handlerCount] = handler is IEventPrefetcher prefetcher ? prefetcher.Prefetch : null;
        _handlerPaths[_handlerCount] = path;
        return new HandlerId(_handlerCount++);
    }

    /// <summary>The path a handler was registered under.</summary>
    public string PathOf(HandlerId handler) => _handlerPaths[handler.Index];

    /// <summary>Schedules an event for <paramref name="handler"/> at an absolute time, not before now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is in the past.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EventHandle Schedule(SimTime at, HandlerId handler, int kind = 0, long arg = 0)
    {
        if (at.Ticks < _now)
        {
            ThrowPast(at);
        }

        return Push(at.Ticks, handler.Index, kind, arg);
    }

    /// <summary>Schedules an event after a non-negative delay from now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EventHandle ScheduleAfter(SimTime delay, HandlerId handler, int kind = 0, long arg = 0)
    {
        if (delay.Ticks < 0)
        {
            ThrowNegativeDelay(delay);
        }

        return Push(_now + delay.Ticks, handler.Index, kind, arg);
    }

    /// <summary>Whether the handle refers to an event that is still pending.</summary>
    public bool IsPending(EventHandle handle) => IsPendingEntry(handle.TimeTicks, handle.SequenceAndHandler);

    /// <summary>The time a pending event will fire at.</summary>
    /// <exception cref="InvalidOperationException">The handle is stale.</exception>
    public SimTime TimeOf(EventHandle handle) => IsPending(handle) ? handle.Time : throw StaleHandle(handle);

    /// <summary>Cancels a pending event. Returns false, changing nothing, if the handle is stale.</summary>
    public bool Cancel(EventHandle handle)
    {
        // Pending but for the cancelled set, which the add asks and updates in one look-up.
        long sequence = handle.SequenceAndHandler >>> HandlerBits;
        if (handle.SequenceAndHandler == 0 || sequence >= _sequence || HasPassed(handle.TimeTicks, sequence) || !_cancelled.Add(sequence))
        {
            return false;
        }

        AddCancelledKey(handle.TimeTicks, handle.SequenceAndHandler);
        _liveCount--;
        return true;
    }

    /// <summary>
    /// Moves a pending event to another time (not before now), keeping its handler, kind and
    /// payload; <paramref name="handle"/> is updated to refer to the moved event. A moved event
    /// ties with others at its new time as if scheduled now. Returns false if the handle is stale.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The new time is in the past.</exception>
    public bool Reschedule(ref EventHandle handle, SimTime at)
    {
        if (at.Ticks < _now)
        {
            ThrowPast(at);
        }

        if (!Cancel(handle))
        {
            return false;
        }

        handle = Push(at.Ticks, HandlerOf(handle.SequenceAndHandler), KindOf(handle.KindAndArg), ArgOf(handle.KindAndArg));
        return true;
    }

    /// <summary>Asks the current run call to return after the event being fired.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>Fires the next event, if any. Returns false when the queue is empty.</summary>
    public bool Step() => FireNext(long.MaxValue);

    /// <summary>Fires events until the queue is empty or <see cref="Stop"/> is called.</summary>
    public void Run()
    {
        _stopRequested = false;
        while (!_stopRequested && FireNext(long.MaxValue))
        {
        }
    }

    /// <summary>
    /// Fires every event strictly before <paramref name="until"/>, then sets the clock to it, so
    /// consecutive calls cover each event exactly once (events at <paramref name="until"/> fire in
    /// the next call). If <see cref="Stop"/> is called the clock stays at the last event.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is in the past.</exception>
    public void RunUntil(SimTime until)
    {
        if (until.Ticks < _now)
        {
            ThrowPast(until);
        }

        _stopRequested = false;
        long limit = until.Ticks - 1;
        while (FireBatch(limit))
        {
        }

        if (!_stopRequested)
        {
            if (until.Ticks > _subClocksAt)
            {
                AdvanceSubClocks(until.Ticks);
            }

            _now = until.Ticks;
        }
    }

    // Fires up to a batch of events strictly before limitTicks + 1; true when the batch ran out
    // with more perhaps due. A run of a whole day is one call of RunUntil, so its own loop runs as
    // on-stack-replaced code for good; this method is called many times, so it tiers up as usual,
    // with the runtime's profile of its calls.
    private bool FireBatch(long limitTicks)
    {
        for (int k = 0; k < 4096; k++)
        {
            if (_stopRequested || !FireNext(limitTicks))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Fires at most <paramref name="maxEvents"/> events; returns how many fired.</summary>
    public long Run(long maxEvents)
    {
        _stopRequested = false;
        long fired = 0;
        while (fired < maxEvents && !_stopRequested && FireNext(long.MaxValue))
        {
            fired++;
        }

        return fired;
    }

    /// <summary>The time of the next pending event, or <see cref="SimTime.MaxValue"/> if none.</summary>
    public SimTime PeekNextTime()
    {
        if (_rootFiring)
        {
            // Called from a handler: the firing event is consumed, whatever it schedules next.
            _rootFiring = false;
            RemoveRoot();
        }

        if (_cancelledInHeap > 0)
        {
            DropCancelledRoot();
        }

        return _heapCount == 0 ? SimTime.MaxValue : new SimTime(_heap[0].Time);
    }

    /// <summary>Pops and fires the next live event if its time is at most <paramref name="limitTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FireNext(long limitTicks)
    {
        if (_cancelledInHeap > 0)
        {
            DropCancelledRoot();
        }

        if (_heapCount == 0 || _heap[0].Time > limitTicks)
        {
            return false;
        }

        if (_heap[0].Time > _subClocksAt)
        {
            AdvanceSubClocks(_heap[0].Time);
        }

        var root = _heap[0];
        MarkFired(root);
        _now = root.Time;
        _liveCount--;
        _fired++;
        var e = new SimEvent(new SimTime(root.Time), KindOf(root.KindAndArg), ArgOf(root.KindAndArg));
        if (_heapCount >= HintMinPending)
        {
            HintNext();
        }

        // The fired entry stays at the root while its handler runs: the handler's first Schedule
        // replaces it and sifts once, instead of a sift down for the pop and a sift up for the push.
        _rootFiring = true;
        var callbacks = _callbacks;
        int handler = HandlerOf(root.SequenceAndHandler);
        if ((uint)handler < (uint)callbacks.Length && callbacks[handler] is { } callback)
        {
            callback(in e);
        }
        else
        {
            FireUnbound(handler, in e);
        }
        if (_rootFiring)
        {
            _rootFiring = false;
            RemoveRoot();
        }

        return true;
    }

    private delegate void EventCallback(in SimEvent e);

    private delegate void PrefetchCallback(int kind, long arg);

    /// <summary>
    /// Pending entries from which the next event is hinted (<see cref="IEventPrefetcher"/>). A queue
    /// this deep stands for a model whose components' state outgrows a core's cache (a hall of
    /// thousands of replicas, one pending event each); below it the state stays in cache and the
    /// hint, a few nanoseconds an event, would buy nothing (the 64-rack metro hall keeps about 300).
    /// </summary>
    internal const int HintMinPending = 1024;

    // Tells the handler of the event expected next (the least child of the root: the second
    // smallest key) to prefetch what it reads, while the root's event runs (IEventPrefetcher).
    private void HintNext()
    {
        var heap = _heap;
        int best = LeastChild(heap, 1, _heapCount);
        long kindAndArg = heap[best].KindAndArg;
        int handler = HandlerOf(heap[best].SequenceAndHandler);
        var prefetchers = _prefetchers;
        if ((uint)handler < (uint)prefetchers.Length && prefetchers[handler] is { } prefetch)
        {
            prefetch(KindOf(kindAndArg), ArgOf(kindAndArg));
        }
    }

    private void FireUnbound(int handler, in SimEvent e)
    {
        if (_callbacks.Length < _handlers.Length)
        {
            Array.Resize(ref _callbacks, _handlers.Length);
        }

        EventCallback callback = _handlers[handler].OnEvent;
        _callbacks[handler] = callback;
        callback(in e);
    }

    private static void ThrowPast(SimTime at) =>
        throw new ArgumentOutOfRangeException(nameof(at), at, "Cannot schedule an event in the past.");

    private static void ThrowNegativeDelay(SimTime delay) =>
        throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must not be negative.");

    private static InvalidOperationException StaleHandle(EventHandle handle) =>
        new($"The event handle {handle} is stale: its event fired, was cancelled or was moved.");
}
