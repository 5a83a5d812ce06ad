using DataCenterTwin.Scenarios.Catalog;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataCenterTwin.Runs.Report;
using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Scenarios.Cooling;
using DataCenterTwin.Traces.Weather;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench plant</c>: the reference hall (48 racks at 40 kW, two CDUs, three chillers, one
/// of them hybrid in grid-responsive mode) under Dulles weather, a summer day at 30 s and 10 s
/// steps and a year at 30 s: simulated seconds per wall second, energy-balance residual, energies.
/// </summary>
internal static class PlantBench
{
    private const string DullesEpw = "weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw";
    private const int SummerDay = 190; // 10 July, zero-based day of the TMY year

    public static Command CreateCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var noYear = new Option<bool>("--no-year") { Description = "Skip the year run." };
        var plot = new Option<string?>("--plot") { Description = "Write an SVG of the day (mode, electric vs gas, freed capacity, temperatures) to this file." };
        var png = new Option<string?>("--png") { Description = "Write the same day as a PNG to this file." };
        var command = new Command("plant", "Simulated seconds per wall second and energy balance of the reference plant.") { json, noYear, plot, png };
        command.SetAction(parse => Run(parse.GetValue(json), !parse.GetValue(noYear), parse.GetValue(plot), parse.GetValue(png)));
        return command;
    }

    private sealed class DayTrace
    {
        public List<double> Hour { get; } = [];
        public List<double> ItKw { get; } = [];
        public List<double> ElectricKw { get; } = [];
        public List<double> AllElectricKw { get; } = [];
        public List<double> FreedKw { get; } = [];
        public List<double> FuelKw { get; } = [];
        public List<double> GasShare { get; } = [];
        public List<double> RunningChillers { get; } = [];
        public List<double> EconomizerKw { get; } = [];
        public List<double> WetBulbC { get; } = [];
        public List<double> SupplyC { get; } = [];
        public List<double> ReturnC { get; } = [];
        public List<double> MaxInletC { get; } = [];
        public List<double> MaxDieC { get; } = [];
        public List<double> HybridCop { get; } = [];
        public List<double> ChillerPlantCop { get; } = [];
        public List<double> SystemCop { get; } = [];
    }

    private sealed record Result(double SimSeconds, double WallSeconds, CoolingSystem System)
    {
        public double SimPerWall => SimSeconds / WallSeconds;
    }

    private static int Run(bool json, bool year, string? plot, string? png)
    {
        var library = ChillerCurveLibrary.LoadDefault();
        var weather = EpwReader.Read(AssetPaths.Asset(DullesEpw)).ToSeries();
        // Warm-up: a day is ~3,000 steps, too short for tiered JIT to settle inside one measurement.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1.5)
        {
            Simulate(library, weather, 30, 86_400, SummerDay * 86_400.0, null);
        }

        var trace = new DayTrace();
        var day30 = Best(() => Simulate(library, weather, 30, 86_400, SummerDay * 86_400.0, null));
        Simulate(library, weather, 30, 86_400, SummerDay * 86_400.0, trace);
        var day15 = Simulate(library, weather, 15, 86_400, SummerDay * 86_400.0, null);
        var day10 = Best(() => Simulate(library, weather, 10, 86_400, SummerDay * 86_400.0, null));
        var yearRun = year ? Simulate(library, weather, 30, 365 * 86_400.0, 0, null) : null;
        double halving = Math.Abs(day30.System.CoolingElectricJ - day15.System.CoolingElectricJ) / day15.System.CoolingElectricJ;

        if (png is not null)
        {
            double[] h = [.. trace.Hour];
            PlantDayPng.Write(png, h,
            [
                ("Hybrid chiller: gas share and chillers running (10 July, Dulles)", "share / count", [("gas share", [.. trace.GasShare], true, false), ("chillers running", [.. trace.RunningChillers], true, false)], null),
                ("Cooling power: electric vs gas", "kW", [("all-electric equivalent", [.. trace.AllElectricKw], false, false), ("electric drawn", [.. trace.ElectricKw], false, false), ("fuel (HHV)", [.. trace.FuelKw], false, false)], null),
                ("Freed electrical capacity", "kW", [("freed", [.. trace.FreedKw], false, true), ("IT load / 10", [.. trace.ItKw.Select(v => v / 10)], false, false)], null),
                ("Temperatures", "°C", [("outdoor wet-bulb", [.. trace.WetBulbC], false, false), ("facility supply", [.. trace.SupplyC], false, false), ("facility return", [.. trace.ReturnC], false, false),
                    ("hottest rack inlet", [.. trace.MaxInletC], false, false), ("hottest accelerator", [.. trace.MaxDieC], false, false)], 32),
                ("COP: cooling over electricity and fuel in", "W/W", [("hybrid chiller", [.. trace.HybridCop], false, false), ("all chillers", [.. trace.ChillerPlantCop], false, false),
                    ("plant with pumps and fans", [.. trace.SystemCop], false, false)], null),
            ]);
        }

        if (plot is not null)
        {
            WritePlot(plot, trace);
        }

        var result = new JsonObject
        {
            ["sim_s_per_wall_s"] = Math.Round(day30.SimPerWall),
            ["energy_balance_residual"] = day30.System.EnergyBalanceRelativeResidual,
            ["day_30s"] = Node(day30),
            ["day_10s"] = Node(day10),
            ["step_halving_cooling_energy_change"] = halving,
        };
        if (yearRun is not null)
        {
            result["year_30s"] = Node(yearRun);
        }

        if (json)
        {
            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return Program.ExitOk;
        }

        Console.WriteLine("reference hall: 48 racks x 40 kW, 2 CDUs, 3 x 1 MW chillers (one hybrid, grid-responsive), economiser; Dulles TMY3");
        Console.WriteLine($"{"run",-10} {"sim s/wall s",13} {"balance resid",14} {"IT MWh",9} {"cool el MWh",12} {"fuel MWh",9} {"freed MWh",10} {"peak freed kW",14} {"throttled acc-h",16}");
        Print("day 30 s", day30);
        Print("day 10 s", day10);
        if (yearRun is not null)
        {
            Print("year 30 s", yearRun);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"halving the step (30 s -> 15 s) changes the day's cooling electric energy by {halving:P4}"));
        if (plot is not null)
        {
            Console.WriteLine($"wrote {plot}");
        }

        return Program.ExitOk;
    }

    /// <summary>The fastest of five runs (the day is short enough for JIT tiering to show in one run).</summary>
    private static Result Best(Func<Result> run) => Enumerable.Range(0, 5).Select(_ => run()).OrderBy(r => r.WallSeconds).First();

    private static JsonObject Node(Result r) => new()
    {
        ["sim_s"] = r.SimSeconds,
        ["sim_s_per_wall_s"] = Math.Round(r.SimPerWall),
        ["energy_balance_residual"] = r.System.EnergyBalanceRelativeResidual,
        ["it_kwh"] = Math.Round(r.System.ItHeatJ / 3.6e6, 1),
        ["cooling_electric_kwh"] = Math.Round(r.System.CoolingElectricJ / 3.6e6, 1),
        ["fuel_kwh"] = Math.Round(r.System.FuelJ / 3.6e6, 1),
        ["freed_kwh"] = Math.Round(r.System.FreedJ / 3.6e6, 1),
        ["peak_freed_kw"] = Math.Round(r.System.PeakFreedCapacityW / 1e3, 1),
        ["throttled_accelerator_hours"] = r.System.ThrottledAcceleratorHours,
        ["hybrid_engine_starts"] = ((HybridChiller)r.System.Plant.Chillers[0]).EngineStarts,
    };

    private static void Print(string name, Result r)
    {
        var s = r.System;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-10} {r.SimPerWall,13:N0} {s.EnergyBalanceRelativeResidual,14:E2} {s.ItHeatJ / 3.6e9,9:N1} {s.CoolingElectricJ / 3.6e9,12:N2} {s.FuelJ / 3.6e9,9:N2} {s.FreedJ / 3.6e9,10:N2} {s.PeakFreedCapacityW / 1e3,14:N1} {s.ThrottledAcceleratorHours,16:N1}"));
    }

    private static Result Simulate(ChillerCurveLibrary library, WeatherSeries weather, double dtS, double durationS, double startS, DayTrace? trace)
    {
        var sys = new CoolingSystem(ReferenceHall.Create(library));
        sys.SetHybridMode(HybridMode.GridResponsive);
        var hybrid = (HybridChiller)sys.Plant.Chillers[0];
        var power = new double[sys.RackCount];
        long steps = (long)Math.Round(durationS / dtS);
        var clock = Stopwatch.StartNew();
        for (long k = 0; k < steps; k++)
        {
            double t = k * dtS;
            ReferenceHall.RackPowerW(t, power);
            sys.SetGridSignal(ReferenceHall.InterconnectW - sys.ItHeatW - sys.CoolingElectricPowerW);
            var w = weather.At(startS + t);
            sys.Step(dtS, power, w);
            if (trace is not null && k % 10 == 0)
            {
                trace.Hour.Add((t + dtS) / 3600);
                trace.ItKw.Add(sys.ItHeatW / 1e3);
                trace.ElectricKw.Add(sys.CoolingElectricPowerW / 1e3);
                trace.AllElectricKw.Add(sys.AllElectricEquivalentPowerW / 1e3);
                trace.FreedKw.Add(sys.FreedCapacityW / 1e3);
                trace.FuelKw.Add(sys.FuelPowerW / 1e3);
                trace.GasShare.Add(hybrid.GasShare);
                trace.RunningChillers.Add(sys.Plant.RunningChillers);
                trace.EconomizerKw.Add(sys.Plant.EconomizerCoolingW / 1e3);
                trace.WetBulbC.Add(w.WetBulbC);
                trace.SupplyC.Add(sys.FacilitySupplyC);
                trace.ReturnC.Add(sys.FacilityReturnC);
                trace.MaxInletC.Add(Max(sys.RackInletTempC));
                trace.MaxDieC.Add(Max(sys.RackAcceleratorTempC));

                // COP as a designer reads it: cooling over every carrier in (electricity and fuel),
                // for the hybrid unit, for the chillers together, and for the whole plant with its
                // pumps and fans (heat removed over cooling electricity and fuel). No load, no COP.
                double chillerCoolingW = 0, chillerInW = 0;
                foreach (var c in sys.Plant.Chillers)
                {
                    chillerCoolingW += c.CoolingW;
                    chillerInW += c.ElectricW + c.FuelW;
                }

                trace.HybridCop.Add(hybrid.CoolingW > 0 ? hybrid.Cop : double.NaN);
                trace.ChillerPlantCop.Add(chillerInW > 0 ? chillerCoolingW / chillerInW : double.NaN);
                double input = sys.CoolingElectricPowerW + sys.FuelPowerW;
                trace.SystemCop.Add(input > 0 ? sys.HeatRemovedW / input : double.NaN);
            }
        }

        return new Result(durationS, clock.Elapsed.TotalSeconds, sys);
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        double m = double.NegativeInfinity;
        foreach (double v in values)
        {
            m = Math.Max(m, v);
        }

        return m;
    }

    private static void WritePlot(string path, DayTrace d)
    {
        double[] x = [.. d.Hour];
        var charts = new[]
        {
            new SvgChart("Hybrid chiller: gas share and chillers running (10 July, Dulles)", "hour", "share / count", x)
                .Line("gas share", [.. d.GasShare], step: true).Line("chillers running", [.. d.RunningChillers], step: true),
            new SvgChart("Cooling power: electric vs gas", "hour", "kW", x)
                .Line("all-electric equivalent", [.. d.AllElectricKw]).Line("electric drawn", [.. d.ElectricKw]).Line("fuel (HHV)", [.. d.FuelKw]),
            new SvgChart("Freed electrical capacity", "hour", "kW", x)
                .Area("freed", [.. d.FreedKw]).Line("IT load / 10", [.. d.ItKw.Select(v => v / 10)]),
            new SvgChart("Temperatures", "hour", "°C", x)
                .Line("outdoor wet-bulb", [.. d.WetBulbC]).Line("facility supply", [.. d.SupplyC]).Line("facility return", [.. d.ReturnC])
                .Line("hottest rack inlet", [.. d.MaxInletC]).Line("hottest accelerator", [.. d.MaxDieC]).Reference("ASHRAE A1 allowable inlet", 32),
            new SvgChart("COP: cooling over electricity and fuel in", "hour", "W/W", x)
                .Line("hybrid chiller", [.. d.HybridCop]).Line("all chillers", [.. d.ChillerPlantCop]).Line("plant with pumps and fans", [.. d.SystemCop]),
        };
        const int height = 300;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 900 {height * charts.Length}\" width=\"900\" height=\"{height * charts.Length}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        for (int i = 0; i < charts.Length; i++)
        {
            string one = charts[i].Render();
            svg.Append(one.Replace("<svg xmlns=\"http://www.w3.org/2000/svg\" ", string.Create(CultureInfo.InvariantCulture, $"<svg y=\"{i * height}\" "), StringComparison.Ordinal));
        }

        svg.Append("</svg>\n");
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(path, svg.ToString());
    }
}
