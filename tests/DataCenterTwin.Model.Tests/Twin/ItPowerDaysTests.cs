using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Model.Tests.Twin;

public class ItPowerDaysTests
{
    [Fact]
    public void TwoDays_TroughPeakRatioAndHoursBelow_ByHand()
    {
        // Day 1: 200 W for four hours, 1,000 W for twenty (ratio 0.2); day 2: 500 W throughout (ratio 1).
        var days = new ItPowerDays();
        for (int half = 0; half < 96; half++)
        {
            int hour = half / 2;
            double w = hour < 4 ? 200 : hour < 24 ? 1000 : 500;
            days.Add(half * 1800.0, 1800, w);
        }

        Assert.Equal(48, days.Hours);
        Assert.Equal(2, days.Days);
        Assert.Equal((0.2 + 1.0) / 2, days.TroughToPeak, 12);
        Assert.Equal((200 + 500) / 2.0, days.DailyTroughW, 9);
        Assert.Equal((1000 + 500) / 2.0, days.DailyPeakW, 9);
        Assert.Equal(1000, days.PeakHourW);

        // Below 30 % of the 1,000 W peak hour: the four 200 W hours.
        Assert.Equal(4, days.HoursBelow(0.3));
    }

    [Fact]
    public void StepAcrossAnHour_IsCutAtTheBoundary()
    {
        var days = new ItPowerDays();
        days.Add(0, 1800, 50);
        days.Add(1800, 3600, 100);
        days.Add(5400, 1800, 300);

        Assert.Equal(2, days.Hours);
        Assert.Equal(((50 * 1800) + (100 * 1800)) / 3600.0, days.HourlyW(0), 12);
        Assert.Equal(((100 * 1800) + (300 * 1800)) / 3600.0, days.HourlyW(1), 12);
        Assert.True(double.IsNaN(days.TroughToPeak), "no whole day yet");
    }
}
