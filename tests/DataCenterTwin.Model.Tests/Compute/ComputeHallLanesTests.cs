using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A hall's lanes are the connected components of its class-to-pool routing: pools that share a
/// class (a class routed to several by shares) are one lane; lanes are numbered by their first pool.
/// </summary>
public class ComputeHallLanesTests
{
    [Fact]
    public void Pools_that_share_no_class_are_lanes_of_their_own()
    {
        Assert.Equal([0, 1], ComputeHall.PoolLanes(2, [[0], [1]], out int lanes));
        Assert.Equal(2, lanes);
    }

    [Fact]
    public void A_class_routed_to_several_pools_joins_them_transitively()
    {
        Assert.Equal([0, 1, 1, 2], ComputeHall.PoolLanes(4, [[0], [1, 2], [3]], out int lanes));
        Assert.Equal(3, lanes);
        Assert.Equal([0, 1, 0, 0], ComputeHall.PoolLanes(4, [[3, 2], [1], [0, 3]], out lanes));
        Assert.Equal(2, lanes);
    }

    [Fact]
    public void A_hall_without_pools_has_one_lane()
    {
        Assert.Empty(ComputeHall.PoolLanes(0, [], out int lanes));
        Assert.Equal(1, lanes);
    }
}
