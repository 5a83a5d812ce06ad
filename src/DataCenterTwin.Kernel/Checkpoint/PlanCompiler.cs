using System.Reflection;
using System.Reflection.Emit;

namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>What a walk does with the references it meets; the compiled walks call it.</summary>
internal abstract class StateSink
{
    /// <summary>A reference in a field being written: write it (save).</summary>
    /// <param name="o">The reference.</param>
    /// <param name="field">The index of the top-level field in its plan, or -1 for an array element (for error messages).</param>
    public abstract void Ref(object? o, int field);

    /// <summary>A reference that is walked but not written: a read-only field of a built object (save), or any field (capture).</summary>
    public abstract void Reach(object? o, int field);

    /// <summary>Reads a reference back (restore).</summary>
    public abstract object? ReadRef();
}

/// <summary>Writes an object's or a struct array's fields.</summary>
internal delegate void SaveFields(object o, StateWriter w, StateSink sink);

/// <summary>Reads an object's or a struct array's fields back in place.</summary>
internal delegate void LoadFields(object o, StateReader r, StateSink sink);

/// <summary>Hands every reference an object's or a struct array's fields hold to the sink.</summary>
internal delegate void ReachFields(object o, StateSink sink);

/// <summary>
/// Compiles a <see cref="TypePlan"/> into IL once per type, so a checkpoint reads and writes fields
/// directly instead of through <see cref="FieldInfo.GetValue"/> and <see cref="FieldInfo.SetValue(object, object)"/>,
/// which box every number and every struct and cost tens of times more. The bytes are the same as the
/// plan's field-by-field walk: fields in plan order, structs field by field, a nullable as a flag and
/// its value.
/// <para>
/// The methods are <see cref="DynamicMethod"/>s that skip visibility checks: they read private
/// fields of any assembly, and restore read-only fields of objects made since building, which only
/// IL may store into.
/// </para>
/// </summary>
internal static class PlanCompiler
{
    private enum Mode
    {
        Save,
        Load,
        Reach,
    }

    private static readonly MethodInfo s_ref = typeof(StateSink).GetMethod(nameof(StateSink.Ref))!;
    private static readonly MethodInfo s_reach = typeof(StateSink).GetMethod(nameof(StateSink.Reach))!;
    private static readonly MethodInfo s_readRef = typeof(StateSink).GetMethod(nameof(StateSink.ReadRef))!;

    /// <summary>Writes all fields, or (<paramref name="skipReadOnly"/>, for a built object) reaches the read-only ones' references instead of writing them.</summary>
    public static SaveFields CompileSave(TypePlan plan, bool skipReadOnly) =>
        (SaveFields)Compile(plan, Mode.Save, skipReadOnly, typeof(SaveFields), [typeof(object), typeof(StateWriter), typeof(StateSink)]);

    /// <summary>Reads all fields back, or (<paramref name="skipReadOnly"/>, for a built object) all but the read-only ones.</summary>
    public static LoadFields CompileLoad(TypePlan plan, bool skipReadOnly) =>
        (LoadFields)Compile(plan, Mode.Load, skipReadOnly, typeof(LoadFields), [typeof(object), typeof(StateReader), typeof(StateSink)]);

    /// <summary>Reaches every reference the fields hold.</summary>
    public static ReachFields CompileReach(TypePlan plan) =>
        (ReachFields)Compile(plan, Mode.Reach, false, typeof(ReachFields), [typeof(object), typeof(StateSink)]);

    private static Delegate Compile(TypePlan plan, Mode mode, bool skipReadOnly, Type delegateType, Type[] parameters)
    {
        var method = new DynamicMethod($"{mode}_{plan.Type.Name}", null, parameters, typeof(PlanCompiler).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var e = new Emitter(il, mode == Mode.Reach ? 1 : 2);
        if (plan.Kind == PlanKind.StructArray)
        {
            e.EmitElements(plan, mode);
        }
        else
        {
            e.EmitFields(plan, mode, skipReadOnly);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate(delegateType);
    }

    // Where a value lies: the root (the object, the unboxed struct, or an array element) and the
    // fields from it to the value; the last field is the value's own.
    private readonly record struct Location(LocalBuilder Root, bool RootIsAddress, LocalBuilder? Index, Type? ElementType, FieldInfo[] Path)
    {
        public Location With(FieldInfo f) => this with { Path = [.. Path, f] };
    }

    private sealed class Emitter(ILGenerator il, int sinkArg)
    {
        public void EmitFields(TypePlan plan, Mode mode, bool skipReadOnly)
        {
            // The object (a class) or a pointer into the box (a boxed struct), held once in a local.
            var type = plan.Type;
            LocalBuilder root;
            il.Emit(OpCodes.Ldarg_0);
            if (type.IsValueType)
            {
                root = il.DeclareLocal(type.MakeByRefType());
                il.Emit(OpCodes.Unbox, type);
            }
            else
            {
                root = il.DeclareLocal(type);
                il.Emit(OpCodes.Castclass, type);
            }

            il.Emit(OpCodes.Stloc, root);
            var at = new Location(root, type.IsValueType, null, null, []);
            for (int i = 0; i < plan.Fields.Length; i++)
            {
                var f = plan.Fields[i];
                var fieldMode = mode;
                if (skipReadOnly && f.ReadOnly)
                {
                    // A built object's read-only field still holds what building put there: not
                    // written, not read back, but what it refers to is walked when saving.
                    if (mode != Mode.Save)
                    {
                        continue;
                    }

                    fieldMode = Mode.Reach;
                }

                Emit(at.With(f.Field), f.Value, fieldMode, i);
            }
        }

        public void EmitElements(TypePlan plan, Mode mode)
        {
            var element = plan.ElementType!;
            var array = il.DeclareLocal(element.MakeArrayType());
            var index = il.DeclareLocal(typeof(int));
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, element.MakeArrayType());
            il.Emit(OpCodes.Stloc, array);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Stloc, index);
            var check = il.DefineLabel();
            var body = il.DefineLabel();
            il.Emit(OpCodes.Br, check);
            il.MarkLabel(body);
            Emit(new Location(array, false, index, element, []), plan.Element!, mode, -1);
            il.Emit(OpCodes.Ldloc, index);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, index);
            il.MarkLabel(check);
            il.Emit(OpCodes.Ldloc, index);
            il.Emit(OpCodes.Ldloc, array);
            il.Emit(OpCodes.Ldlen);
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Blt, body);
        }

        private void Emit(Location at, ValuePlan v, Mode mode, int field)
        {
            if (mode == Mode.Reach && !v.HasRefs)
            {
                return;
            }

            switch (v.Kind)
            {
                case ValueKind.Reference:
                    EmitReference(at, mode, field);
                    break;
                case ValueKind.Struct:
                    foreach (var f in v.Nested!.Fields)
                    {
                        Emit(at.With(f.Field), f.Value, mode, field);
                    }

                    break;
                case ValueKind.Nullable:
                    EmitNullable(at, v, mode, field);
                    break;
                default:
                    EmitNumber(at, v.Kind, mode);
                    break;
            }
        }

        private void EmitNumber(Location at, ValueKind kind, Mode mode)
        {
            if (mode == Mode.Save)
            {
                il.Emit(OpCodes.Ldarg_1);
                LoadValue(at);
                il.Emit(OpCodes.Call, Leaves.Writer(kind));
            }
            else
            {
                LoadContainer(at);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Call, Leaves.Reader(kind));
                il.Emit(OpCodes.Stfld, at.Path[^1]);
            }
        }

        private void EmitReference(Location at, Mode mode, int field)
        {
            if (mode == Mode.Load)
            {
                var type = at.Path[^1].FieldType;
                LoadContainer(at);
                il.Emit(OpCodes.Ldarg_2);
                il.Emit(OpCodes.Callvirt, s_readRef);
                if (type != typeof(object))
                {
                    // A reference of another type than the field's means a damaged state: an InvalidCastException, as SetValue's ArgumentException was.
                    il.Emit(OpCodes.Castclass, type);
                }

                il.Emit(OpCodes.Stfld, at.Path[^1]);
                return;
            }

            il.Emit(sinkArg == 1 ? OpCodes.Ldarg_1 : OpCodes.Ldarg_2);
            LoadValue(at);
            il.Emit(OpCodes.Ldc_I4, field);
            il.Emit(OpCodes.Callvirt, mode == Mode.Save ? s_ref : s_reach);
        }

        // A nullable is written as a flag and, when it has one, its value (as the boxed walk wrote it:
        // boxed, a nullable is null or its value). Read back without a value, it is default, all zeros.
        private void EmitNullable(Location at, ValuePlan v, Mode mode, int field)
        {
            var type = at.Path.Length > 0 ? at.Path[^1].FieldType : at.ElementType!;
            var hasValue = type.GetField("hasValue", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new NotSupportedException($"{type}: this runtime's Nullable<T> has no hasValue field");
            var value = type.GetField("value", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new NotSupportedException($"{type}: this runtime's Nullable<T> has no value field");
            var end = il.DefineLabel();
            switch (mode)
            {
                case Mode.Save:
                    il.Emit(OpCodes.Ldarg_1);
                    LoadValue(at.With(hasValue));
                    il.Emit(OpCodes.Call, Leaves.Writer(ValueKind.Bool));
                    LoadValue(at.With(hasValue));
                    il.Emit(OpCodes.Brfalse, end);
                    Emit(at.With(value), v.Inner!, mode, field);
                    break;
                case Mode.Reach:
                    LoadValue(at.With(hasValue));
                    il.Emit(OpCodes.Brfalse, end);
                    Emit(at.With(value), v.Inner!, mode, field);
                    break;
                default:
                    var none = il.DefineLabel();
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Call, Leaves.Reader(ValueKind.Bool));
                    il.Emit(OpCodes.Brfalse, none);
                    Emit(at.With(value), v.Inner!, mode, field);
                    LoadContainer(at.With(hasValue));
                    il.Emit(OpCodes.Ldc_I4_1);
                    il.Emit(OpCodes.Stfld, hasValue);
                    il.Emit(OpCodes.Br, end);
                    il.MarkLabel(none);
                    LoadAddress(at);
                    il.Emit(OpCodes.Initobj, type);
                    break;
            }

            il.MarkLabel(end);
        }

        // Pushes the root: the object, the pointer into the box, or the element's address.
        private void LoadRoot(Location at)
        {
            il.Emit(OpCodes.Ldloc, at.Root);
            if (at.Index is { } index)
            {
                il.Emit(OpCodes.Ldloc, index);
                il.Emit(OpCodes.Ldelema, at.ElementType!);
            }
        }

        // Pushes the address (or object) the last field of the path lies in.
        private void LoadContainer(Location at)
        {
            LoadRoot(at);
            for (int i = 0; i < at.Path.Length - 1; i++)
            {
                il.Emit(OpCodes.Ldflda, at.Path[i]);
            }
        }

        // Pushes the address of the value itself (a struct or a nullable).
        private void LoadAddress(Location at)
        {
            LoadRoot(at);
            foreach (var f in at.Path)
            {
                il.Emit(OpCodes.Ldflda, f);
            }
        }

        private void LoadValue(Location at)
        {
            LoadContainer(at);
            il.Emit(OpCodes.Ldfld, at.Path[^1]);
        }
    }

    /// <summary>The numbers' encodings, one method each, as the boxed walk wrote them.</summary>
    private static class Leaves
    {
        private static readonly Dictionary<ValueKind, MethodInfo> s_writers = Methods("Write");
        private static readonly Dictionary<ValueKind, MethodInfo> s_readers = Methods("Read");

        public static MethodInfo Writer(ValueKind kind) => s_writers[kind];

        public static MethodInfo Reader(ValueKind kind) => s_readers[kind];

        private static Dictionary<ValueKind, MethodInfo> Methods(string prefix)
        {
            var methods = new Dictionary<ValueKind, MethodInfo>();
            foreach (var m in typeof(Leaves).GetMethods(BindingFlags.Static | BindingFlags.Public))
            {
                if (m.Name.StartsWith(prefix, StringComparison.Ordinal) && Enum.TryParse<ValueKind>(m.Name[prefix.Length..], out var kind))
                {
                    methods.Add(kind, m);
                }
            }

            return methods;
        }

        public static void WriteBool(StateWriter w, bool v) => w.WriteBool(v);

        public static void WriteByte(StateWriter w, byte v) => w.WriteByte(v);

        public static void WriteSByte(StateWriter w, sbyte v) => w.WriteByte(unchecked((byte)v));

        public static void WriteInt16(StateWriter w, short v) => w.WriteInt32(v);

        public static void WriteUInt16(StateWriter w, ushort v) => w.WriteInt32(v);

        public static void WriteChar(StateWriter w, char v) => w.WriteInt32(v);

        public static void WriteInt32(StateWriter w, int v) => w.WriteInt32(v);

        public static void WriteUInt32(StateWriter w, uint v) => w.WriteInt64(v);

        public static void WriteInt64(StateWriter w, long v) => w.WriteInt64(v);

        public static void WriteUInt64(StateWriter w, ulong v) => w.WriteUInt64(v);

        public static void WriteSingle(StateWriter w, float v) => w.WriteInt32(BitConverter.SingleToInt32Bits(v));

        public static void WriteDouble(StateWriter w, double v) => w.WriteDouble(v);

        public static bool ReadBool(StateReader r) => r.ReadBool();

        public static byte ReadByte(StateReader r) => r.ReadByte();

        public static sbyte ReadSByte(StateReader r) => unchecked((sbyte)r.ReadByte());

        public static short ReadInt16(StateReader r) => checked((short)r.ReadInt32());

        public static ushort ReadUInt16(StateReader r) => checked((ushort)r.ReadInt32());

        public static char ReadChar(StateReader r) => checked((char)r.ReadInt32());

        public static int ReadInt32(StateReader r) => r.ReadInt32();

        public static uint ReadUInt32(StateReader r) => checked((uint)r.ReadInt64());

        public static long ReadInt64(StateReader r) => r.ReadInt64();

        public static ulong ReadUInt64(StateReader r) => r.ReadUInt64();

        public static float ReadSingle(StateReader r) => BitConverter.Int32BitsToSingle(r.ReadInt32());

        public static double ReadDouble(StateReader r) => r.ReadDouble();
    }
}
