using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace DataCenterTwin.Kernel.Checkpoint;

/// <summary>How a value of one field is written.</summary>
internal enum ValueKind : byte
{
    Bool,
    Byte,
    SByte,
    Int16,
    UInt16,
    Char,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Reference,
    Struct,

    /// <summary>A <see cref="Nullable{T}"/>: boxed, it is null or the value itself, so it is written as a flag and the value.</summary>
    Nullable,
}

/// <summary>How an object of one type is walked.</summary>
internal enum PlanKind : byte
{
    /// <summary>A class or a boxed struct: field by field.</summary>
    Object,

    /// <summary>An array of numbers or of structs without references: copied as bytes.</summary>
    UnmanagedArray,

    /// <summary>An array of references.</summary>
    ReferenceArray,

    /// <summary>An array of structs that hold references: element by element, field by field.</summary>
    StructArray,

    /// <summary>A delegate: never copied (its method is bound when the twin is built); its target is walked.</summary>
    Delegate,
}

/// <summary>How one value (a field, an array element) is written.</summary>
internal sealed class ValuePlan
{
    public ValuePlan(Type type)
    {
        var t = type.IsEnum ? System.Enum.GetUnderlyingType(type) : type;
        Enum = type.IsEnum ? type : null;
        if (System.Nullable.GetUnderlyingType(t) is { } inner)
        {
            Kind = ValueKind.Nullable;
            Inner = new ValuePlan(inner);
            HasRefs = Inner.HasRefs;
            return;
        }

        Kind = Type.GetTypeCode(t) switch
        {
            TypeCode.Boolean => ValueKind.Bool,
            TypeCode.Byte => ValueKind.Byte,
            TypeCode.SByte => ValueKind.SByte,
            TypeCode.Int16 => ValueKind.Int16,
            TypeCode.UInt16 => ValueKind.UInt16,
            TypeCode.Char => ValueKind.Char,
            TypeCode.Int32 => ValueKind.Int32,
            TypeCode.UInt32 => ValueKind.UInt32,
            TypeCode.Int64 => ValueKind.Int64,
            TypeCode.UInt64 => ValueKind.UInt64,
            TypeCode.Single => ValueKind.Single,
            TypeCode.Double => ValueKind.Double,
            _ => t.IsValueType ? ValueKind.Struct : ValueKind.Reference,
        };
        if (Kind == ValueKind.Struct)
        {
            Nested = TypePlan.For(t);
        }

        HasRefs = Kind == ValueKind.Reference || (Kind == ValueKind.Struct && Nested!.HasRefs);
    }

    public ValueKind Kind { get; }

    /// <summary>The struct's own plan, for <see cref="ValueKind.Struct"/>.</summary>
    public TypePlan? Nested { get; }

    /// <summary>The value's plan, for <see cref="ValueKind.Nullable"/>.</summary>
    public ValuePlan? Inner { get; }

    /// <summary>Whether the value can hold a reference.</summary>
    public bool HasRefs { get; }

    /// <summary>The enum type to convert numbers back to, or null.</summary>
    public Type? Enum { get; }

    /// <summary>Why such a value cannot be saved, or null.</summary>
    public string? Unsupported => Nested?.Unsupported ?? Inner?.Unsupported;

    public string Layout => Kind switch
    {
        ValueKind.Struct => "{" + Nested!.Layout + "}",
        ValueKind.Nullable => "?" + Inner!.Layout,
        _ => Kind.ToString(),
    };
}

/// <summary>One instance field: how it is written, and whether a walk must look inside it for objects.</summary>
internal sealed class FieldPlan(FieldInfo field, ValuePlan value)
{
    public FieldInfo Field { get; } = field;

    public ValuePlan Value { get; } = value;

    public ValueKind Kind => Value.Kind;

    /// <summary>Set once by the constructor: in an object that was built, not written (it still holds what building put there).</summary>
    public bool ReadOnly { get; } = field.IsInitOnly;

    /// <summary>Whether the value can hold a reference.</summary>
    public bool HasRefs => Value.HasRefs;
}

/// <summary>The walk of one type, built once per type by reflection and cached.</summary>
internal sealed class TypePlan
{
    private static readonly ConcurrentDictionary<Type, TypePlan> s_plans = new();
    private static readonly MethodInfo s_sizeOf = typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!;

    private TypePlan(Type type)
    {
        Type = type;
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            Kind = PlanKind.Delegate;
            Fields = [];
            Layout = "delegate";
            return;
        }

        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            if (type.GetArrayRank() != 1 || type != element.MakeArrayType())
            {
                Unsupported = $"{type}: only one-dimensional, zero-based arrays are saved";
                Fields = [];
                Layout = type.FullName ?? type.Name;
                return;
            }

            ElementType = element;
            Fields = [];
            if (IsUnmanaged(element))
            {
                Kind = PlanKind.UnmanagedArray;
                ElementSize = (int)s_sizeOf.MakeGenericMethod(element).Invoke(null, null)!;
                Layout = $"[{Describe(element)}]";
            }
            else if (!element.IsValueType)
            {
                Kind = PlanKind.ReferenceArray;
                Layout = "[ref]";
            }
            else
            {
                Kind = PlanKind.StructArray;
                Element = new ValuePlan(element);
                Unsupported = Element.Unsupported;
                Layout = $"[{Element.Layout}]";
            }

            return;
        }

        Kind = PlanKind.Object;
        var fields = new List<FieldPlan>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            var declared = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => !f.IsDefined(typeof(NotStateAttribute), inherit: false))
                .OrderBy(f => f.MetadataToken)
                .Select(PlanField);
            fields.InsertRange(0, declared);
        }

        Fields = [.. fields];
        HasRefs = Fields.Any(f => f.HasRefs);
        Unsupported = WhyUnsupported(type) ?? Fields.Select(f => f.Value.Unsupported).FirstOrDefault(u => u is not null);
        var layout = new StringBuilder();
        foreach (var f in Fields)
        {
            layout.Append(f.Field.Name).Append(':').Append(f.Kind is ValueKind.Struct or ValueKind.Nullable ? f.Value.Layout : Describe(f.Field.FieldType)).Append(';');
        }

        Layout = layout.ToString();
    }

    public Type Type { get; }

    public PlanKind Kind { get; }

    /// <summary>Instance fields, base class first, each class's in declaration order; [NotState] ones left out.</summary>
    public FieldPlan[] Fields { get; }

    /// <summary>Whether a struct of this type can hold a reference.</summary>
    public bool HasRefs { get; }

    /// <summary>An array's element type.</summary>
    public Type? ElementType { get; }

    /// <summary>An unmanaged array's element size in bytes.</summary>
    public int ElementSize { get; }

    /// <summary>A struct array's element plan.</summary>
    public ValuePlan? Element { get; }

    /// <summary>The fields' names and types: a checkpoint whose layout differs from this program's is refused.</summary>
    public string Layout { get; }

    /// <summary>Why an object of this type cannot be saved, or null.</summary>
    public string? Unsupported { get; }

    // Compiled on first use; a race compiles twice and keeps either, as both do the same.
    private SaveFields? _saveAll, _saveChanged;
    private LoadFields? _loadAll, _loadChanged;
    private ReachFields? _reach;

    /// <summary>Writes every field (or every element of a struct array).</summary>
    public SaveFields SaveAll => _saveAll ??= PlanCompiler.CompileSave(this, skipReadOnly: false);

    /// <summary>Writes the fields a built object can have changed; reaches what its read-only fields refer to.</summary>
    public SaveFields SaveChanged => _saveChanged ??= PlanCompiler.CompileSave(this, skipReadOnly: true);

    /// <summary>Reads back what <see cref="SaveAll"/> wrote.</summary>
    public LoadFields LoadAll => _loadAll ??= PlanCompiler.CompileLoad(this, skipReadOnly: false);

    /// <summary>Reads back what <see cref="SaveChanged"/> wrote.</summary>
    public LoadFields LoadChanged => _loadChanged ??= PlanCompiler.CompileLoad(this, skipReadOnly: true);

    /// <summary>Hands every reference the fields (or elements) hold to the sink.</summary>
    public ReachFields ReachAll => _reach ??= PlanCompiler.CompileReach(this);

    public static TypePlan For(Type type) => s_plans.GetOrAdd(type, static t => new TypePlan(t));

    private static FieldPlan PlanField(FieldInfo f)
    {
        var t = f.FieldType;
        if (t.IsPointer || t.IsFunctionPointer || t == typeof(IntPtr) || t == typeof(UIntPtr) || t.IsByRefLike)
        {
            // A pointer means nothing in another process; such a field must be [NotState] wiring.
            return new FieldPlan(f, new ValuePlan(Bad()));
        }

        return new FieldPlan(f, new ValuePlan(t));
    }

    // A stand-in struct type whose plan says why the field cannot be saved.
    private static Type Bad()
    {
        s_plans.TryAdd(typeof(BadField), new TypePlan(typeof(BadField), "a field holds a pointer, which means nothing in another process (mark it [NotState])"));
        return typeof(BadField);
    }

    private struct BadField
    {
    }

    private TypePlan(Type type, string unsupported)
    {
        Type = type;
        Fields = [];
        Layout = "unsupported";
        Unsupported = unsupported;
    }

    private static string? WhyUnsupported(Type type)
    {
        string ns = type.Namespace ?? "";
        if (ns.StartsWith("System.Threading", StringComparison.Ordinal) || ns.StartsWith("System.IO", StringComparison.Ordinal)
            || ns.StartsWith("System.Diagnostics", StringComparison.Ordinal) || ns.StartsWith("System.Net", StringComparison.Ordinal))
        {
            return $"a {type} is wiring to the world outside the twin (mark the field that holds it [NotState])";
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Dictionary<,>) || definition == typeof(HashSet<>))
            {
                // Entries keep their keys' hash codes; only these keys hash the same in every process.
                var key = type.GetGenericArguments()[0];
                if (!(key.IsPrimitive || key.IsEnum || key == typeof(string)))
                {
                    return $"a {type}: its keys' hash codes differ from process to process; key it by a number, an enum or a string";
                }
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="t"/> holds no references and no pointers, so its bytes are its value.</summary>
    public static bool IsUnmanaged(Type t)
    {
        if (t.IsEnum)
        {
            return true;
        }

        if (t.IsPrimitive)
        {
            return t != typeof(IntPtr) && t != typeof(UIntPtr);
        }

        return t.IsValueType && !t.IsByRefLike
            && t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).All(f => IsUnmanaged(f.FieldType));
    }

    private static string Describe(Type t) => t.IsValueType && !t.IsPrimitive && !t.IsEnum && IsUnmanaged(t)
        ? $"{t.FullName}{{{string.Join(";", t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken).Select(f => f.Name + ":" + Describe(f.FieldType)))}}}"
        : t.FullName ?? t.Name;
}
