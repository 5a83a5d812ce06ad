using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Tests.Grid;

public class TariffTests
{
    private static readonly TariffSpec s_tariff = new(
        BaseEnergyPriceUsdPerJ: 0.06 / 3.6e6,
        Periods: [new TouPeriod("peak", 0.15 / 3.6e6, 12, 20, WeekdaysOnly: true, Months: [6, 7, 8])],
        RealTimePriceUsdPerJ: null,
        DemandChargeUsdPerW: 15e-3,
        GasPriceUsdPerJ: 4.0 / 1.05505585262e9,
        GridCarbonKgPerJ: HourlySeries.Constant(0.36262 / 3.6e6),
        GasEmissionKgPerJ: TariffSpec.NaturalGasKgPerJ);

    [Theory]
    [InlineData("2026-07-15T13:00", 0.15)] // a Wednesday in July, in the peak window
    [InlineData("2026-07-15T20:00", 0.06)] // the window ends at 20:00
    [InlineData("2026-07-18T13:00", 0.06)] // a Saturday
    [InlineData("2026-01-14T13:00", 0.06)] // not a summer month
    public void EnergyPrice_FollowsTheTimeOfUseWindows(string local, double usdPerKWh)
    {
        var t = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(usdPerKWh, s_tariff.EnergyPriceUsdPerJ(t, 0) * 3.6e6, 12);
    }

    [Fact]
    public void NaturalGas_Emits018105KgPerKWhOfFuel()
    {
        // EPA: 53.06 kg/MMBtu; issue 6's hand-worked 6,599.4 kW of fuel emits 1,194.8 kg/h.
        Assert.Equal(0.18105, TariffSpec.NaturalGasKgPerJ * 3.6e6, 5);
        Assert.Equal(1_194.8, 6_599.4 * TariffSpec.NaturalGasKgPerJ * 3.6e6, 1);
    }

    [Fact]
    public void HourlySeries_LoopsAndHoldsEachHour()
    {
        var s = new HourlySeries([1, 2, 3]);
        Assert.Equal(1, s.At(0.99));
        Assert.Equal(2, s.At(1.0));
        Assert.Equal(1, s.At(3.5));
        Assert.Equal(3, s.At(-0.5));
        Assert.Throws<ArgumentException>(() => new HourlySeries([]));
        Assert.Throws<ArgumentException>(() => new HourlySeries([double.NaN]));
    }

    [Fact]
    public void Calendar_MapsSimulationTimeToLocalTimeAndBillingMonths()
    {
        var calendar = new SiteCalendar(new DateTime(2026, 1, 31, 12, 0, 0));
        Assert.Equal(new DateTime(2026, 2, 1, 0, 0, 0), calendar.LocalTime(SimTime.FromHours(12)));
        Assert.Equal(0, calendar.BillingMonth(SimTime.Zero));
        Assert.Equal(1, calendar.BillingMonth(SimTime.FromHours(12)));
        Assert.Equal(30 * 24 + 12, calendar.HourOfYear(SimTime.Zero), 9);
    }
}
