using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Cli.Bench;

/// <summary>
/// <c>dctwin bench soak</c>: ten simulated years of the metro hall at fluid level and a day of it at
/// request level, in one process. After every simulated year (and every hour of the day) it samples
/// memory after a full collection, and the two energy balances: the plant's heat (generated −
/// removed − stored) and the meter's (facility energy − grid − generator − UPS). Memory that grows
/// year on year is a leak; a balance residual that grows is drift. Exit 1 when either is found.
/// </summary>
internal static class SoakBench
{
    private const double Day = 86_400;

    public static Command CreateCommand()
    {
        var scenario = new Option<string>("--scenario") { Description = "The scenario (default scenarios/metro-inference.yaml).", DefaultValueFactory = _ => "scenarios/metro-inference.yaml" };
        var years = new Option<int>("--years") { Description = "Simulated years at fluid level (default 10).", DefaultValueFactory = _ => 10 };
        var hours = new Option<int>("--request-hours") { Description = "Simulated hours at request level (default 24).", DefaultValueFactory = _ => 24 };
        var command = new Command("soak", "Years at fluid level and a day at request level: memory and energy-balance residuals, sampled.") { scenario, years, hours };
        command.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(years), parse.GetValue(hours), Console.Out, Console.Error));
        return command;
    }

    private static int Run(string path, int years, int hours, TextWriter output, TextWriter error)
    {
        var inv = CultureInfo.InvariantCulture;
        var (loaded, errors) = ScenarioLoader.Load(path, AssetPaths.FindAssetsDirectory());
        foreach (var e in errors)
        {
            error.WriteLine($"error: {e}");
        }

        if (loaded is null)
        {
            return Program.ExitInvalidInput;
        }

        output.WriteLine($"dctwin bench soak: {loaded.Name}, {years} simulated years at fluid level, then {hours} h at request level; {Environment.ProcessorCount} cores");
        var fluid = Soak(loaded with { Run = loaded.Run with { Horizon = SimTime.FromSeconds(years * 365 * Day), Windows = [] } }, Fidelity.Fluid, 365 * Day, "year", output);
        var request = Soak(loaded with { Run = loaded.Run with { Horizon = SimTime.FromSeconds(hours * 3600.0), Windows = [] } }, Fidelity.Request, 3600, "hour", output);

        bool ok = fluid && request;
        output.WriteLine(string.Format(inv, "peak working set {0:N0} MB; {1}", Process.GetCurrentProcess().PeakWorkingSet64 / 1e6, ok ? "memory flat and no drift" : "FOUND growth or drift"));
        return ok ? Program.ExitOk : Program.ExitFailure;
    }

    // Runs the scenario in chunks, sampling after each; true when memory stayed flat and the balances did not drift.
    private static bool Soak(ScenarioSpec spec, Fidelity fidelity, double chunkS, string chunkName, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var built = TwinBuilder.Build(spec, fidelity);
        var twin = built.Twin;
        var cooling = twin.Parts.Cooling;
        var ledger = twin.Ledger;
        int chunks = (int)Math.Round(spec.Run.Horizon.TotalSeconds / chunkS);
        var heapMb = new double[chunks];
        var heatResidualJ = new double[chunks];
        var meterResidualJ = new double[chunks];
        var heatJ = new double[chunks];
        var clock = Stopwatch.StartNew();
        double lastHeatResidual = 0, lastMeterResidual = 0, lastHeat = 0;
        output.WriteLine($"{fidelity.ToString().ToLowerInvariant()} level, {chunks} × {chunkName}:");
        for (int k = 0; k < chunks; k++)
        {
            twin.RunUntil(SimTime.FromSeconds((k + 1) * chunkS));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            heapMb[k] = GC.GetTotalMemory(true) / 1e6;

            // Residuals of this chunk alone, so a drift shows as growth from chunk to chunk.
            double heatResidual = cooling.EnergyBalanceResidualJ;
            double meterResidual = ledger.TotalJ - ledger.GridJ - ledger.GeneratorJ - ledger.UpsJ;
            heatResidualJ[k] = heatResidual - lastHeatResidual;
            meterResidualJ[k] = meterResidual - lastMeterResidual;
            heatJ[k] = cooling.HeatGeneratedJ - lastHeat;
            (lastHeatResidual, lastMeterResidual, lastHeat) = (heatResidual, meterResidual, cooling.HeatGeneratedJ);
            output.WriteLine(string.Format(inv, "  {0} {1,3}: {2,8:F1} s wall, managed heap {3,7:F2} MB, working set {4,6:N0} MB; heat residual {5,10:E2} J ({6:E1} of the heat), meter residual {7,10:E2} J",
                chunkName, k + 1, clock.Elapsed.TotalSeconds, heapMb[k], Process.GetCurrentProcess().WorkingSet64 / 1e6,
                heatResidualJ[k], heatJ[k] > 0 ? Math.Abs(heatResidualJ[k]) / heatJ[k] : 0, meterResidualJ[k]));
        }

        // Flat: over the second half of the run the heap grows by no more than the one record the
        // twin keeps by design for the whole run, the hourly IT power (8 bytes an hour in an array
        // that doubles: at most 16 bytes per simulated hour), plus 0.5 MB. The first half is left
        // out: request pools and queues grow to the day's peak load there (a high-water mark, not a
        // leak). Anything kept per control step or per request would pass that allowance.
        // No drift: no chunk's residual exceeds a part per million of its heat, and the residual's
        // size does not trend upward from the first half to the second.
        int from = chunks / 2;
        double growthMb = heapMb.Skip(from).Max() - heapMb[from];
        double allowedMb = 0.5 + (16 * (chunks - from) * chunkS / 3600 / 1e6);
        bool flat = growthMb <= allowedMb;
        double worst = 0;
        for (int k = 0; k < chunks; k++)
        {
            worst = Math.Max(worst, heatJ[k] > 0 ? Math.Abs(heatResidualJ[k]) / heatJ[k] : 0);
        }

        double firstHalf = heatResidualJ.Take(Math.Max(1, chunks / 2)).Select(Math.Abs).Average();
        double secondHalf = heatResidualJ.Skip(chunks / 2).Select(Math.Abs).Average();
        double meterWorst = meterResidualJ.Select(Math.Abs).Max();
        bool noDrift = worst <= 1e-6 && (secondHalf <= 2 * firstHalf + 1e-9 * heatJ.Average()) && meterWorst <= 1e-6 * Math.Max(1, ledger.TotalJ / chunks);
        string served = built.RequestHall is { } hall ? string.Format(inv, ", {0:N0} requests completed", hall.Metrics.Sum(m => m.Completed)) : "";
        output.WriteLine(string.Format(inv, "  {0} simulated s in {1:F1} s wall{2}; heap {3:F2} MB at mid-run ({4} {14}), {5:F2} MB at the end, {6:+0.00;-0.00} MB most over the second half against {13:F2} MB allowed for the hourly IT record: {7}; " +
            "worst {4} heat residual {8:E1} of its heat, mean |residual| {9:E2} J in the first half and {10:E2} J in the second, worst meter residual {11:E2} J: {12}",
            spec.Run.Horizon.TotalSeconds, clock.Elapsed.TotalSeconds, served, heapMb[from], chunkName, heapMb[^1], growthMb, flat ? "flat" : "GROWING",
            worst, firstHalf, secondHalf, meterWorst, noDrift ? "no drift" : "DRIFT", allowedMb, from + 1));
        return flat && noDrift;
    }
}
