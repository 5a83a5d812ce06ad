using DataCenterTwin.Kernel.Checkpoint;

namespace DataCenterTwin.Kernel.Tests.Checkpoint;

/// <summary>
/// The state walk on every kind of field it compiles accessors for: each number type, enums of
/// several widths, structs in structs, nullables with and without references, read-only fields of
/// built objects and of objects made since, boxed structs, struct arrays holding references, numeric
/// arrays. A model is built, captured, changed, saved, and poured into a second model built the same
/// way; the second must then hold every value, and save the very same bytes.
/// </summary>
public class StateGraphTests
{
    [Fact]
    public void A_restored_model_holds_every_value_and_saves_the_same_bytes()
    {
        var saved = new Model();
        var graph = StateGraph.Capture(saved);
        saved.Change();
        byte[] blob = Save(graph);

        var restored = new Model();
        var restoredGraph = StateGraph.Capture(restored);
        restoredGraph.Restore(new StateReader(blob));

        Assert.Equal(blob, Save(restoredGraph));
        Assert.True(restored.Flag);
        Assert.Equal((byte)200, restored.U8);
        Assert.Equal((sbyte)-100, restored.I8);
        Assert.Equal((short)-30_000, restored.I16);
        Assert.Equal((ushort)60_000, restored.U16);
        Assert.Equal('λ', restored.Letter);
        Assert.Equal(-2_000_000_000, restored.I32);
        Assert.Equal(4_000_000_000u, restored.U32);
        Assert.Equal(long.MinValue + 7, restored.I64);
        Assert.Equal(ulong.MaxValue - 3, restored.U64);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(restored.F32));
        Assert.Equal(BitConverter.DoubleToInt64Bits(saved.F64), BitConverter.DoubleToInt64Bits(restored.F64));
        Assert.Equal(Small.B, restored.SmallEnum);
        Assert.Equal(Wide.Far, restored.WideEnum);
        Assert.Equal(new SimTime(123_456), restored.Time);
        Assert.Equal(3, restored.Maybe);
        Assert.Null(restored.MaybeNot);
        Assert.Equal("pair", restored.Pair.Label);
        Assert.Equal(2.5, restored.Pair.Inner.ValueW);
        Assert.Same(restored.Items[0], restored.Pair.Inner.Target);
        Assert.Equal("held", restored.MaybePair!.Value.Label);
        Assert.Same(restored.Items[1], restored.MaybePair!.Value.Inner.Target);
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 8.0 }, restored.Numbers);
        Assert.Equal(17, restored.BuiltOnly);

        // Objects made after capture: their read-only fields come back too.
        Assert.Equal(3, restored.Items.Count);
        Assert.Equal("late", restored.Items[2].Name);
        Assert.Equal(99, restored.Items[2].Serial);
        Assert.Same(restored.Items[0], restored.Items[2].Next);
        Assert.Equal(42, ((Inner)restored.Boxed!).Count);
        Assert.Equal("boxed", ((Inner)restored.Boxed!).Label);

        Assert.Equal(2, restored.Slots.Length);
        Assert.Same(restored.Items[2], restored.Slots[0].Inner.Target);
        Assert.Equal(-1.5, restored.Slots[1].Inner.ValueW);
        Assert.Null(restored.Slots[1].Inner.Target);
        Assert.Equal(7, restored.NullableSlots[0]!.Value.Inner.Count);
        Assert.Null(restored.NullableSlots[1]);
    }

    [Fact]
    public void A_read_only_field_of_a_built_object_is_walked_but_not_written()
    {
        var model = new Model();
        var graph = StateGraph.Capture(model);
        byte[] unchanged = Save(graph);

        // The read-only reference still reaches the list, whose contents change: that is saved.
        model.Fixed.Values.Add(5);
        byte[] changed = Save(graph);
        Assert.NotEqual(unchanged, changed);

        var restored = new Model();
        var restoredGraph = StateGraph.Capture(restored);
        restoredGraph.Restore(new StateReader(changed));
        Assert.Equal(new[] { 5 }, restored.Fixed.Values);
    }

    [Fact]
    public void A_state_cut_short_is_refused_as_damaged()
    {
        var model = new Model();
        var graph = StateGraph.Capture(model);
        model.Change();
        byte[] blob = Save(graph);

        var restored = new Model();
        var restoredGraph = StateGraph.Capture(restored);
        Assert.Throws<InvalidDataException>(() => restoredGraph.Restore(new StateReader(blob.AsMemory(0, blob.Length / 2))));
    }

    [Fact]
    public void A_delegate_made_after_capture_is_refused_with_its_path()
    {
        var holder = new DelegateHolder();
        var graph = StateGraph.Capture(holder);
        holder.Callback = () => holder.Count++;
        var ex = Assert.Throws<NotSupportedException>(() => Save(graph));
        Assert.Contains("DelegateHolder.Callback", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Save(StateGraph graph)
    {
        var w = new StateWriter();
        graph.Save(w);
        return w.ToArray();
    }

    private enum Small : byte
    {
        A,
        B,
    }

    private enum Wide : long
    {
        Near = 1,
        Far = 1L << 40,
    }

    private struct Inner
    {
        public double ValueW;
        public Item? Target;
        public int Count;
        public string? Label;
    }

    private struct Pair
    {
        public string? Label;
        public Inner Inner;
    }

    private sealed class Item(string name, int serial, Item? next)
    {
        public readonly string Name = name;
        public readonly int Serial = serial;
        public readonly Item? Next = next;
    }

    private sealed class Holder
    {
        public List<int> Values { get; } = [];
    }

    private sealed class Model
    {
        public readonly Holder Fixed = new();
        public readonly int BuiltOnly = 17;
        public bool Flag;
        public byte U8;
        public sbyte I8;
        public short I16;
        public ushort U16;
        public char Letter;
        public int I32;
        public uint U32;
        public long I64;
        public ulong U64;
        public float F32;
        public double F64;
        public Small SmallEnum;
        public Wide WideEnum = Wide.Near;
        public SimTime Time;
        public int? Maybe;
        public int? MaybeNot = 4;
        public Pair Pair;
        public Pair? MaybePair;
        public object? Boxed;
        public double[] Numbers = [1, 2, 3, 4];
        public List<Item> Items = [new("a", 1, null), new("b", 2, null)];
        public Pair[] Slots = new Pair[2];
        public Pair?[] NullableSlots = new Pair?[2];

        public void Change()
        {
            Flag = true;
            U8 = 200;
            I8 = -100;
            I16 = -30_000;
            U16 = 60_000;
            Letter = 'λ';
            I32 = -2_000_000_000;
            U32 = 4_000_000_000;
            I64 = long.MinValue + 7;
            U64 = ulong.MaxValue - 3;
            F32 = -0f;
            F64 = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234); // a NaN with a payload
            SmallEnum = Small.B;
            WideEnum = Wide.Far;
            Time = new SimTime(123_456);
            Maybe = 3;
            MaybeNot = null;
            Pair = new Pair { Label = "pair", Inner = new Inner { ValueW = 2.5, Target = Items[0] } };
            MaybePair = new Pair { Label = "held", Inner = new Inner { Target = Items[1] } };
            Boxed = new Inner { Count = 42, Label = "boxed" };
            Numbers[3] = 8;
            Items.Add(new Item("late", 99, Items[0]));
            Slots[0].Inner.Target = Items[2];
            Slots[1].Inner.ValueW = -1.5;
            NullableSlots[0] = new Pair { Inner = new Inner { Count = 7 } };
        }
    }

    private sealed class DelegateHolder
    {
        public Action? Callback;
        public int Count;
    }
}
