namespace DataCenterTwin.Model.Grid;

/// <summary>A time-of-use period with its own energy price.</summary>
/// <param name="Name">The period ("peak", "shoulder").</param>
/// <param name="PriceUsdPerJ">Energy price in the period, USD/J.</param>
/// <param name="StartHour">First hour of the period (local, 0–23).</param>
/// <param name="EndHour">Hour the period ends (exclusive, 1–24).</param>
/// <param name="WeekdaysOnly">Whether the period applies Monday to Friday only.</param>
/// <param name="Months">Months (1–12) the period applies in; empty for all.</param>
public sealed record TouPeriod(string Name, double PriceUsdPerJ, int StartHour, int EndHour, bool WeekdaysOnly, IReadOnlyList<int> Months);

/// <summary>
/// What energy costs at the site: electricity by time of use (or a real-time hourly series),
/// a demand charge on each billing month's peak draw, natural gas, and the carbon intensity of
/// both.
/// </summary>
/// <param name="BaseEnergyPriceUsdPerJ">Electricity price outside every period, USD/J.</param>
/// <param name="Periods">Time-of-use periods; the first that matches applies.</param>
/// <param name="RealTimePriceUsdPerJ">An hourly price series that replaces the time-of-use price when given.</param>
/// <param name="DemandChargeUsdPerW">Charge per W of each billing month's peak grid draw, USD/W.</param>
/// <param name="GasPriceUsdPerJ">Natural gas price per J of fuel (HHV, as gas is sold), USD/J.</param>
/// <param name="GridCarbonKgPerJ">Carbon intensity of grid electricity, kg CO2/J, hourly.</param>
/// <param name="GasEmissionKgPerJ">CO2 from burning gas per J of fuel (HHV), kg/J.</param>
/// <param name="DieselPriceUsdPerJ">Standby generators' diesel price per J of fuel (HHV), USD/J.</param>
/// <param name="DieselEmissionKgPerJ">CO2 from burning diesel per J of fuel (HHV), kg/J.</param>
public sealed record TariffSpec(
    double BaseEnergyPriceUsdPerJ, IReadOnlyList<TouPeriod> Periods, HourlySeries? RealTimePriceUsdPerJ,
    double DemandChargeUsdPerW, double GasPriceUsdPerJ, HourlySeries GridCarbonKgPerJ, double GasEmissionKgPerJ,
    double DieselPriceUsdPerJ = TariffSpec.DieselUsdPerJ, double DieselEmissionKgPerJ = TariffSpec.DieselKgPerJ)
{
    /// <summary>
    /// Diesel (distillate fuel oil No. 2): 73.96 kg CO2 per MMBtu of fuel (HHV), EPA GHG Emission
    /// Factors Hub (2024), table 1.
    /// </summary>
    public const double DieselKgPerJ = 73.96 / 1.05505585262e9;

    /// <summary>
    /// Diesel at 3.76 USD per US gallon (EIA Gasoline and Diesel Fuel Update, U.S. No. 2 diesel
    /// retail, 2024 annual average) over 137,381 Btu per gallon (EIA, distillate fuel oil 5.77
    /// MMBtu per barrel of 42 gallons), USD/J.
    /// </summary>
    public const double DieselUsdPerJ = 3.76 / (137_381 * 1055.05585262);

    /// <summary>
    /// PUE weighting factors of non-electric energy carriers for ISO/IEC 30134-2 (which weights
    /// every carrier entering the data centre): The Green Grid White Paper #49, "PUE: a
    /// comprehensive examination of the metric" (2012), Table 3: electricity 1.0, natural gas
    /// 0.31, fuel oil 0.29.
    /// </summary>
    public const double NaturalGasPueWeight = 0.31;

    /// <inheritdoc cref="NaturalGasPueWeight"/>
    public const double FuelOilPueWeight = 0.29;

    /// <summary>
    /// Natural gas: 53.06 kg CO2 per MMBtu of fuel (HHV), EPA GHG Emission Factors Hub (2024),
    /// table 1: 0.18105 kg per kWh of fuel. Fuel energies in the plant are on the HHV basis, as
    /// EnergyPlus reports them.
    /// </summary>
    public const double NaturalGasKgPerJ = 53.06 / 1.05505585262e9;

    /// <summary>The electricity price at a local time, USD/J.</summary>
    public double EnergyPriceUsdPerJ(DateTime local, double hourOfYear)
    {
        if (RealTimePriceUsdPerJ is not null)
        {
            return RealTimePriceUsdPerJ.At(hourOfYear);
        }

        bool weekday = local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        for (int i = 0; i < Periods.Count; i++)
        {
            var p = Periods[i];
            if (local.Hour >= p.StartHour && local.Hour < p.EndHour && (!p.WeekdaysOnly || weekday)
                && (p.Months.Count == 0 || p.Months.Contains(local.Month)))
            {
                return p.PriceUsdPerJ;
            }
        }

        return BaseEnergyPriceUsdPerJ;
    }
}
