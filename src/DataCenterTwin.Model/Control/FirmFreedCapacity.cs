using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;

namespace DataCenterTwin.Model.Control;

/// <summary>
/// Freed capacity an interconnect can count on: on the site's design day (the hottest day of the
/// weather file), with one chiller out of service (N+1; the worst one to lose), the reduction in
/// the plant's peak electric draw when the hybrid and engine chillers run on gas, against the
/// same plant all-electric on the same chiller curves at the same conditions. The weather is
/// hourly, so the hourly peak is the 15-minute peak. Each hour the load is split over the units
/// left in equal part-load ratio; the economiser is left off (a design day is hot).
/// </summary>
public static class FirmFreedCapacity
{
    /// <summary>The figures.</summary>
    /// <param name="FirmFreedW">Reduction in design-day peak plant draw with the worst chiller out, W.</param>
    /// <param name="AllElectricPeakW">All-electric plant's design-day peak draw with that chiller out, W.</param>
    /// <param name="GasPeakW">The same plant's peak with its gas drives carrying their units, W.</param>
    /// <param name="DesignDayStartHour">First hour of the design day in the weather year.</param>
    /// <param name="ChillerOut">Index of the chiller whose loss leaves the least freed capacity.</param>
    public readonly record struct Result(double FirmFreedW, double AllElectricPeakW, double GasPeakW, int DesignDayStartHour, int ChillerOut);

    /// <summary>First hour of the day (of the weather year) holding the hottest hour: wet-bulb for a water-cooled plant, dry-bulb for an air-cooled one.</summary>
    public static int DesignDayStartHour(WeatherSeries weather, bool airCooled)
    {
        int hottest = 0;
        double max = double.NegativeInfinity;
        for (int h = 0; h < weather.Hours; h++)
        {
            var w = weather.At(h * 3600.0);
            double t = airCooled ? w.DryBulbC : w.WetBulbC;
            if (t > max)
            {
                max = t;
                hottest = h;
            }
        }

        return hottest / 24 * 24;
    }

    /// <summary>Works the firm figure for a plant carrying <paramref name="designLoadW"/> at <paramref name="chilledWaterC"/> on the weather's design day.</summary>
    public static Result Compute(ChillerPlantSpec plant, WeatherSeries weather, double designLoadW, double chilledWaterC)
    {
        bool airCooled = plant.Chillers.All(c => c.Condenser == CondenserType.AirCooled);
        int start = DesignDayStartHour(weather, airCooled);
        var day = new WeatherConditions[24];
        for (int h = 0; h < 24; h++)
        {
            day[h] = weather.At((start + h) * 3600.0);
        }

        var best = new Result(double.PositiveInfinity, 0, 0, start, -1);
        int n = plant.Chillers.Count;
        for (int k = n > 1 ? 0 : -1; k < n; k++)
        {
            double electricPeak = 0, gasPeak = 0;
            foreach (var w in day)
            {
                electricPeak = Math.Max(electricPeak, PlantDrawW(plant, k, designLoadW, chilledWaterC, w, gas: false));
                gasPeak = Math.Max(gasPeak, PlantDrawW(plant, k, designLoadW, chilledWaterC, w, gas: true));
            }

            if (electricPeak - gasPeak < best.FirmFreedW)
            {
                best = new Result(electricPeak - gasPeak, electricPeak, gasPeak, start, k);
            }
        }

        return best;
    }

    /// <summary>
    /// Plant electric draw for a load with chiller <paramref name="outIndex"/> out (−1: none): chillers
    /// (motors, or gas-side parasitics and radiator fans when <paramref name="gas"/>), tower fans on
    /// the heat sent to the towers, air-cooled condenser fans, condenser pumps, W.
    /// </summary>
    public static double PlantDrawW(ChillerPlantSpec plant, int outIndex, double loadW, double chilledWaterC, in WeatherConditions w, bool gas)
    {
        // The same condenser water the plant gives its chillers: approach reset, what full fan speed
        // reaches at the design range when warmer, never under the leaving chilled water.
        var tower = new CoolingTower(plant.Tower, plant.CondenserPumps);
        double towerWaterC = Math.Max(Math.Max(tower.LeavingWaterAt(w.WetBulbC), tower.FullSpeedLeavingC(w.WetBulbC, tower.DesignRangeK)), chilledWaterC);
        double capacity = 0;
        for (int i = 0; i < plant.Chillers.Count; i++)
        {
            if (i != outIndex)
            {
                capacity += AvailableW(plant.Chillers[i], chilledWaterC, Condenser(plant.Chillers[i], w, towerWaterC));
            }
        }

        double load = Math.Min(loadW, capacity);
        double electric = 0, towerHeat = 0, airHeat = 0;
        int running = 0;
        for (int i = 0; i < plant.Chillers.Count; i++)
        {
            if (i == outIndex || capacity <= 0)
            {
                continue;
            }

            var spec = plant.Chillers[i];
            double cond = Condenser(spec, w, towerWaterC);
            double q = load * AvailableW(spec, chilledWaterC, cond) / capacity;
            if (q <= 0)
            {
                continue;
            }

            running++;
            var (unitW, condenserHeatW, otherW) = Unit(spec, q, chilledWaterC, cond, gas);
            electric += unitW + otherW;
            if (spec.Condenser == CondenserType.AirCooled)
            {
                airHeat += condenserHeatW;
            }
            else
            {
                towerHeat += condenserHeatW;
            }
        }

        int cells = Math.Min(running, plant.CondenserPumps.Count);
        double pumps = towerHeat > 0 ? plant.CondenserPumps.DesignPowerW * cells : 0;
        return electric + tower.FanPowerFor(towerHeat, cells, w.WetBulbC, tower.LeavingWaterAt(w.WetBulbC)) + (plant.AirCooledCondenserFanFraction * airHeat) + pumps;
    }

    private static double Condenser(ChillerSpec spec, in WeatherConditions w, double towerWaterC) =>
        spec.Condenser == CondenserType.AirCooled ? w.DryBulbC : towerWaterC;

    private static double AvailableW(ChillerSpec spec, double chwC, double condC) => spec switch
    {
        ElectricChillerSpec e => e.AvailableCapacityW(chwC, condC) * e.MaxPartLoadRatio,
        ReformulatedEirChillerSpec r => r.AvailableCapacityAtEnteringW(chwC, condC) * r.MaxPartLoadRatio,
        HybridChillerSpec h => h.Compressor.AvailableCapacityW(chwC, condC) * h.Compressor.MaxPartLoadRatio,
        EngineDrivenChillerSpec g => g.NominalCapacityWValue * g.CapacityRatioAt(chwC, condC) * g.MaxPartLoadRatio,
        _ => 0,
    };

    // Electric draw, heat to the condenser, and radiator fans of one unit carrying q.
    private static (double ElectricW, double CondenserHeatW, double OtherW) Unit(ChillerSpec spec, double q, double chwC, double condC, bool gas)
    {
        switch (spec)
        {
            case HybridChillerSpec h:
            {
                double motorW = h.Compressor.ElectricPowerW(q, chwC, condC);
                if (!gas)
                {
                    return (motorW, q + motorW, 0);
                }

                // The engine carries the compressor up to its rating; the motor any rest.
                double shaftW = motorW * h.MotorEfficiency;
                double engineShaftW = Math.Min(shaftW, h.Engine.RatedShaftPowerW);
                double motorRestW = (shaftW - engineShaftW) / h.MotorEfficiency;
                var engine = h.Engine.Deliver(engineShaftW);
                double gasShare = shaftW > 0 ? engineShaftW / shaftW : 0;
                double condenser = q + engineShaftW + motorRestW + (h.Engine.CoolantSink == EngineHeatSink.CondenserLoop ? engine.CoolantHeatW : 0);
                double radiator = h.Engine.CoolantSink == EngineHeatSink.Radiator ? h.Engine.RadiatorFanFraction * engine.CoolantHeatW : 0;
                return (motorRestW + (h.ParasiticElectricFraction * gasShare * q), condenser, radiator);
            }

            case EngineDrivenChillerSpec g:
            {
                var p = g.Evaluate(q, chwC, condC);
                return gas
                    ? (p.CoolingW * g.ParasiticElectricFraction, p.CoolingW + p.ShaftPowerW, 0)
                    : (q / g.ReferenceElectricCop, q + (q / g.ReferenceElectricCop), 0);
            }

            case ElectricChillerSpec e:
            {
                double w = e.ElectricPowerW(q, chwC, condC);
                return (w, q + w, 0);
            }

            case ReformulatedEirChillerSpec r:
            {
                double w = r.Operate(q, chwC, condC).ElectricW;
                return (w, q + w, 0);
            }

            default:
                return (0, q, 0);
        }
    }
}
