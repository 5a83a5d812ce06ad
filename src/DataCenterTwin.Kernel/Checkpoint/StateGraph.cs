using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>
/// Saves and restores the whole state of a twin by walking its objects field by field, so a
/// component adds state by adding a field: nothing else to write, nothing to forget.
/// <para>
/// <see cref="Capture"/> is taken when the twin has just been built: it numbers every object the
/// root reaches. Building the same scenario again builds the same objects in the same order, so a
/// number names the same part in both (rack arrays, chillers, the event queue, the handlers bound
/// to it, even the closures the builder made). A checkpoint writes, for each object reached now,
/// the fields that can have changed since building (read-only fields of built objects still hold
/// what building put there; numeric arrays unchanged since building are marked, not copied), and
/// objects made since (requests in flight, grown lists) in full. Restore pours that into a twin
/// freshly built from the same scenario, in place: the twin continues bit-identically.
/// </para>
/// <para>
/// Left out: fields marked <see cref="NotStateAttribute"/> (observers, front-end wiring,
/// caches that building fills the same way). Refused with a clear error: pointers, threads and
/// streams reached from the twin, delegates made after building (their method cannot be named in
/// another process), and hash collections whose keys hash differently from process to process.
/// </para>
/// </summary>
public sealed class StateGraph
{
    private const int Magic = 0x53435444; // "DTCS"

    /// <summary>The layout of the walk itself; a blob written by another is refused.</summary>
    public const int FormatVersion = 1;

    private const int TagNull = 0, TagString = 1, TagType = 2, TagKnown = 3, TagNew = 4;

    private readonly List<object> _built = [];
    private readonly Dictionary<object, int> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, ulong> _hashes = new(ReferenceEqualityComparer.Instance);

    private StateGraph()
    {
    }

    /// <summary>How many objects the root reached when it was captured.</summary>
    public int BuiltCount => _built.Count;

    /// <summary>Numbers every object <paramref name="root"/> reaches now; call it on a twin just built.</summary>
    public static StateGraph Capture(object root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var g = new StateGraph();
        g.Add(root);
        for (int i = 0; i < g._built.Count; i++)
        {
            g.Visit(g._built[i]);
        }

        return g;
    }

    /// <summary>
    /// Writes the state of everything the root reaches, and of <paramref name="companions"/> (objects
    /// made beside the twin, such as a run's recorders, that the restoring side makes the same way).
    /// </summary>
    /// <exception cref="NotSupportedException">Something reached cannot be saved; the message says what and where.</exception>
    public void Save(StateWriter writer, IReadOnlyList<object>? companions = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        new Saver(this, writer, companions ?? []).Run();
    }

    /// <summary>
    /// Pours a state written by <see cref="Save"/> into the twin this graph was captured from, which
    /// must be freshly built from the same scenario and not yet run.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not a state, or was written by another program or for another twin.</exception>
    public void Restore(StateReader reader, IReadOnlyList<object>? companions = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        new Loader(this, reader, companions ?? []).Run();
    }

    private Adder? _adder;

    private void Add(object? o)
    {
        if (o is null || IsValue(o) || _ids.ContainsKey(o))
        {
            return;
        }

        _ids.Add(o, _built.Count);
        _built.Add(o);
    }

    private void Visit(object o)
    {
        var plan = TypePlan.For(o.GetType());
        switch (plan.Kind)
        {
            case PlanKind.UnmanagedArray:
                _hashes[o] = Hash(Bytes((Array)o, plan));
                break;
            case PlanKind.ReferenceArray:
                foreach (object? e in (object?[])o)
                {
                    Add(e);
                }

                break;
            case PlanKind.Delegate:
                foreach (var d in ((Delegate)o).GetInvocationList())
                {
                    Add(d.Target);
                }

                break;
            default:
                if (plan.HasRefs || plan.Kind == PlanKind.StructArray)
                {
                    plan.ReachAll(o, _adder ??= new Adder(this));
                }

                break;
        }
    }

    // Numbers what the fields of the objects being captured refer to.
    private sealed class Adder(StateGraph g) : StateSink
    {
        public override void Ref(object? o, int field) => g.Add(o);

        public override void Reach(object? o, int field) => g.Add(o);

        public override object? ReadRef() => throw new InvalidOperationException("A capture reads nothing.");
    }

    private static bool IsValue(object o) => o is string or Type;

    private static Span<byte> Bytes(Array a, TypePlan plan) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(a), checked(a.Length * plan.ElementSize));

    // A 64-bit mix over the words: it only has to tell an array changed since building from one that did not.
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)bytes.Length;
        foreach (ulong x in MemoryMarshal.Cast<byte, ulong>(bytes))
        {
            h = BitOperations.RotateLeft((h ^ x) * 0xFF51AFD7ED558CCDUL, 31) * 0xC4CEB9FE1A85EC53UL;
        }

        for (int i = bytes.Length & ~7; i < bytes.Length; i++)
        {
            h = BitOperations.RotateLeft((h ^ bytes[i]) * 0xFF51AFD7ED558CCDUL, 31);
        }

        return h ^ (h >> 29);
    }

    private sealed class Saver(StateGraph g, StateWriter w, IReadOnlyList<object> companions) : StateSink
    {
        private readonly Dictionary<object, int> _new = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<object, int> _companions = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Type, int> _types = [];
        private readonly Dictionary<object, (object Parent, int Field)> _from = new(ReferenceEqualityComparer.Instance);
        private readonly Queue<object> _queue = new();
        private readonly bool[] _seen = new bool[g._built.Count + companions.Count];
        private object? _current;

        // The field of _current being written: an index into its plan's fields, -1 for an array element (resolved to a name only for an error).
        private int _field = -1;

        private int Fixed => _seen.Length;

        public void Run()
        {
            w.WriteInt32(Magic);
            w.WriteCount(FormatVersion);
            w.WriteCount(g._built.Count);
            w.WriteCount(companions.Count);
            for (int i = 0; i < companions.Count; i++)
            {
                _companions.Add(companions[i], g._built.Count + i);
            }

            Reach(g._built[0]);
            foreach (var c in companions)
            {
                Reach(c);
            }

            while (_queue.TryDequeue(out var o))
            {
                Record(o);
            }

            w.WriteCount(0);
        }

        private int Id(object o) => g._ids.TryGetValue(o, out int id) ? id
            : _companions.TryGetValue(o, out id) ? id
            : _new.TryGetValue(o, out id) ? id
            : -1;

        public override void Ref(object? o, int field)
        {
            _field = field;
            WriteRef(o);
        }

        public override void Reach(object? o, int field)
        {
            _field = field;
            Reach(o);
        }

        public override object? ReadRef() => throw new InvalidOperationException("A save reads nothing.");

        // Marks a built object (or companion) to be written; one made since building is reached only through a reference written.
        private void Reach(object? o)
        {
            if (o is null || IsValue(o))
            {
                return;
            }

            int id = Id(o);
            if (id < 0)
            {
                throw new NotSupportedException($"Cannot checkpoint {Path(o)}: a read-only field holds a {o.GetType()} that was not there when the twin was built.");
            }

            if (id < Fixed && !_seen[id])
            {
                _seen[id] = true;
                Remember(o);
                _queue.Enqueue(o);
            }
        }

        private void Remember(object o)
        {
            if (_current is not null)
            {
                _from.TryAdd(o, (_current, _field));
            }
        }

        private void WriteRef(object? o)
        {
            switch (o)
            {
                case null:
                    w.WriteCount(TagNull);
                    return;
                case string s:
                    w.WriteCount(TagString);
                    w.WriteString(s);
                    return;
                case Type t:
                    w.WriteCount(TagType);
                    w.WriteString(t.AssemblyQualifiedName);
                    return;
            }

            int id = Id(o);
            if (id >= 0)
            {
                w.WriteCount(TagKnown);
                w.WriteCount(id);
                Reach(o);
                return;
            }

            var plan = TypePlan.For(o.GetType());
            if (plan.Kind == PlanKind.Delegate)
            {
                Remember(o);
                throw new NotSupportedException($"Cannot checkpoint {Path(o)}: a delegate made after the twin was built (to {((Delegate)o).Method.DeclaringType}.{((Delegate)o).Method.Name}); " +
                    "hold state in fields and bind delegates when the twin is built.");
            }

            id = Fixed + _new.Count;
            _new.Add(o, id);
            Remember(o);
            w.WriteCount(TagNew);
            WriteType(o.GetType(), plan);
            if (o is Array a)
            {
                w.WriteCount(a.Length);
            }

            _queue.Enqueue(o);
        }

        private void WriteType(Type t, TypePlan plan)
        {
            if (_types.TryGetValue(t, out int index))
            {
                w.WriteCount(index + 1);
                return;
            }

            _types.Add(t, _types.Count);
            w.WriteCount(0);
            w.WriteString(t.AssemblyQualifiedName);
            w.WriteString(plan.Layout);
        }

        private void Record(object o)
        {
            int id = Id(o);

            // Companions were not there when the twin was built: all their fields are written.
            bool built = id < g._built.Count;
            var plan = TypePlan.For(o.GetType());
            if (plan.Unsupported is { } why)
            {
                throw new NotSupportedException($"Cannot checkpoint {Path(o)}: {why}.");
            }

            w.WriteCount(id + 1L);
            WriteType(o.GetType(), plan);
            _current = o;
            switch (plan.Kind)
            {
                case PlanKind.UnmanagedArray:
                    var bytes = Bytes((Array)o, plan);
                    if (built && g._hashes.TryGetValue(o, out ulong h) && Hash(bytes) == h)
                    {
                        w.WriteByte(0);
                    }
                    else
                    {
                        w.WriteByte(1);
                        w.WriteBytes(bytes);
                    }

                    break;
                case PlanKind.ReferenceArray:
                    var refs = (object?[])o;
                    _field = -1;
                    for (int i = 0; i < refs.Length; i++)
                    {
                        WriteRef(refs[i]);
                    }

                    break;
                case PlanKind.StructArray:
                    plan.SaveAll(o, w, this);
                    break;
                case PlanKind.Delegate:
                    _field = -1;
                    foreach (var d in ((Delegate)o).GetInvocationList())
                    {
                        Reach(d.Target);
                    }

                    break;
                default:
                    (built ? plan.SaveChanged : plan.SaveAll)(o, w, this);
                    if (o is ICheckpointState own)
                    {
                        own.SaveState(w);
                    }

                    break;
            }

            _current = null;
        }

        private string Path(object o)
        {
            var parts = new List<string> { o.GetType().Name };
            var at = o;
            for (int hops = 0; hops < 16 && _from.TryGetValue(at, out var from); hops++)
            {
                parts.Add($"{from.Parent.GetType().Name}.{FieldName(from.Parent, from.Field)}");
                at = from.Parent;
            }

            parts.Reverse();
            return string.Join(" → ", parts);
        }

        private static string FieldName(object parent, int field)
        {
            var plan = TypePlan.For(parent.GetType());
            return plan.Kind switch
            {
                PlanKind.Delegate => "target",
                PlanKind.Object when field >= 0 && field < plan.Fields.Length => plan.Fields[field].Field.Name,
                _ => "[]",
            };
        }
    }

    private sealed class Loader(StateGraph g, StateReader r, IReadOnlyList<object> companions) : StateSink
    {
        private readonly List<object> _objects = [.. g._built, .. companions];
        private readonly List<(Type Type, TypePlan Plan)> _types = [];

        public void Run()
        {
            if (r.ReadInt32() != Magic)
            {
                throw new InvalidDataException("Not a DataCenterTwin state.");
            }

            long version = r.ReadCount();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"The state was written in format {version}; this program reads format {FormatVersion}.");
            }

            long built = r.ReadCount(), companionCount = r.ReadCount();
            if (built != g._built.Count || companionCount != companions.Count)
            {
                throw new InvalidDataException($"The state is of a twin built from {built} objects (and {companionCount} companions); this one has {g._built.Count} (and {companions.Count}): another scenario, or another program.");
            }

            while (true)
            {
                long id = r.ReadCount() - 1;
                if (id < 0)
                {
                    return;
                }

                if (id >= _objects.Count)
                {
                    throw new InvalidDataException($"The state names object {id}, which it never made.");
                }

                var o = _objects[(int)id];
                var (type, plan) = ReadType();
                if (type != o.GetType())
                {
                    throw new InvalidDataException($"Object {id} is a {type} in the state but a {o.GetType()} here: another scenario, or another program.");
                }

                try
                {
                    Record(o, plan, id < g._built.Count);
                }
                catch (Exception ex) when (ex is InvalidCastException or OverflowException or ArrayTypeMismatchException)
                {
                    throw new InvalidDataException($"The state of object {id} ({type}) does not fit it: {ex.Message}", ex);
                }
            }
        }

        private (Type, TypePlan) ReadType()
        {
            int index = r.ReadCount32();
            if (index > 0)
            {
                return index <= _types.Count ? _types[index - 1] : throw new InvalidDataException($"The state names type {index - 1}, which it never defined.");
            }

            string name = r.ReadString() ?? "";
            string layout = r.ReadString() ?? "";
            var type = Type.GetType(name, throwOnError: false) ?? throw new InvalidDataException($"The state holds a {name}, which this program does not have.");
            var plan = TypePlan.For(type);
            if (!string.Equals(plan.Layout, layout, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"The state of {type} is laid out differently in this program (another version): saved {layout} here {plan.Layout}");
            }

            _types.Add((type, plan));
            return (type, plan);
        }

        public override void Ref(object? o, int field) => throw new InvalidOperationException("A restore writes nothing.");

        public override void Reach(object? o, int field) => throw new InvalidOperationException("A restore writes nothing.");

        public override object? ReadRef()
        {
            switch (r.ReadCount())
            {
                case TagNull:
                    return null;
                case TagString:
                    return r.ReadString();
                case TagType:
                    string name = r.ReadString() ?? "";
                    return Type.GetType(name, throwOnError: false) ?? throw new InvalidDataException($"The state names the type {name}, which this program does not have.");
                case TagKnown:
                    long id = r.ReadCount();
                    return id < _objects.Count ? _objects[(int)id] : throw new InvalidDataException($"The state refers to object {id} before making it.");
                case TagNew:
                    var (type, plan) = ReadType();
                    object o = plan.Kind switch
                    {
                        PlanKind.Delegate => throw new InvalidDataException("The state makes a delegate."),
                        PlanKind.Object => RuntimeHelpers.GetUninitializedObject(type),
                        _ => Array.CreateInstance(plan.ElementType!, r.ReadCount32()),
                    };
                    _objects.Add(o);
                    return o;
                default:
                    throw new InvalidDataException("The state is damaged: an unknown reference tag.");
            }
        }

        private void Record(object o, TypePlan plan, bool built)
        {
            switch (plan.Kind)
            {
                case PlanKind.UnmanagedArray:
                    if (r.ReadByte() != 0)
                    {
                        r.ReadBytes(Bytes((Array)o, plan));
                    }

                    break;
                case PlanKind.ReferenceArray:
                    var refs = (object?[])o;
                    for (int i = 0; i < refs.Length; i++)
                    {
                        refs[i] = ReadRef();
                    }

                    break;
                case PlanKind.StructArray:
                    plan.LoadAll(o, r, this);
                    break;
                case PlanKind.Delegate:
                    break;
                default:
                    (built ? plan.LoadChanged : plan.LoadAll)(o, r, this);
                    if (o is ICheckpointState own)
                    {
                        own.RestoreState(r);
                    }

                    break;
            }
        }
    }
}
