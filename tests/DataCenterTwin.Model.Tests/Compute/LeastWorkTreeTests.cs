using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// The least-work index's min tree, whose keys carry the leaf below the value, against a scan of
/// the same values: its root must name the smallest value at its lowest leaf, as least-outstanding-
/// work's scan chooses, after any sequence of writes.
/// </summary>
public class LeastWorkTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(192)]
    [InlineData(300)]
    public void Root_IsTheScansChoice_AfterRandomWrites(int count)
    {
        var tree = new ComputeHall.MinTree(count);
        var values = new long[count];
        Array.Fill(values, long.MaxValue);
        var rng = new Random(count);
        for (int step = 0; step < 20_000; step++)
        {
            int leaf = rng.Next(count);
            int what = rng.Next(10);
            if (what < 3)
            {
                tree.Clear(leaf);
                values[leaf] = long.MaxValue;
            }
            else
            {
                // Few distinct values, so ties are common, and some negative and some near the top of the range.
                long value = what switch
                {
                    3 => -rng.Next(5),
                    4 => (long.MaxValue >> 9) - 1 - rng.Next(3),
                    _ => rng.Next(8),
                };
                tree.Set(leaf, value);
                values[leaf] = value;
            }

            Assert.Equal(values[leaf], tree.ValueAt(leaf));
            long min = values.Min();
            Assert.Equal(min == long.MaxValue, tree.IsEmpty);
            if (min != long.MaxValue)
            {
                Assert.Equal(min, tree.RootValue);
                Assert.Equal(Array.IndexOf(values, min), tree.RootLeaf);
            }
            else
            {
                // Above every value a leaf can hold, so a far bound is never at or below an empty near set's.
                Assert.True(tree.RootValue > (long.MaxValue >> 9) - 1);
            }
        }
    }

    [Fact]
    public void AValueTooLargeForItsKey_IsRefused_NotWrapped()
    {
        var tree = new ComputeHall.MinTree(192);
        long largest = (long.MaxValue >> 8) - 1;
        tree.Set(5, largest);
        Assert.Equal(largest, tree.RootValue);
        Assert.Equal(5, tree.RootLeaf);
        Assert.Throws<OverflowException>(() => tree.Set(6, largest + 1));
        Assert.Throws<OverflowException>(() => tree.Set(6, (long.MinValue >> 8) - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Set(256, 1));
        Assert.Equal(5, tree.RootLeaf);
    }
}
