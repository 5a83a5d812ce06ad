namespace DataCenterTwin.Kernel.Tests;

public class SimTimeTests
{
    [Fact]
    public void ToString_ShowsDaysAndClockToTheMillisecond()
    {
        var t = SimTime.FromDays(123) + SimTime.FromHours(4) + SimTime.FromMinutes(5) + SimTime.FromSeconds(6.789);
        Assert.Equal("123d 04:05:06.789", t.ToString());
        Assert.Equal("0d 00:00:00.000", SimTime.Zero.ToString());
        Assert.Equal("-1d 00:00:00.500", (SimTime.Zero - SimTime.FromSeconds(86_400.5)).ToString());
    }

    [Fact]
    public void FromSeconds_RoundsToTheNearestMicrosecond()
    {
        Assert.Equal(1_500_000, SimTime.FromSeconds(1.5).Ticks);
        Assert.Equal(1, SimTime.FromSeconds(0.6e-6).Ticks);
        Assert.Equal(0, SimTime.FromSeconds(0.4e-6).Ticks);
        Assert.Equal(3600.0, SimTime.FromHours(1).TotalSeconds);
        Assert.Equal(2.0, SimTime.FromDays(2).TotalDays);
    }

    [Fact]
    public void FromSeconds_RefusesNaNAndOverflow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SimTime.FromSeconds(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => SimTime.FromSeconds(1e20));
        Assert.Throws<OverflowException>(() => SimTime.FromDays(long.MaxValue / 1000));
    }

    [Fact]
    public void Operators_CompareAndAdd()
    {
        var a = SimTime.FromSeconds(1);
        var b = SimTime.FromSeconds(2);
        Assert.True(a < b && b > a && a <= b && b >= a && a != b);
        Assert.Equal(SimTime.FromSeconds(3), a + b);
        Assert.Equal(SimTime.FromSeconds(6), b * 3);
        Assert.Equal(a, SimTime.Min(a, b));
        Assert.Equal(b, SimTime.Max(a, b));
    }
}
