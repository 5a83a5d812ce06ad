using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios.Sections;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>Site events and control on whole twins: the grid limit, outages, demand response.</summary>
public class TwinEventsTests
{
    private static BuiltTwin Run(ScenarioSpec spec, SimTime? until = null)
    {
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        built.Twin.RunUntil(until ?? spec.Run.Horizon);
        return built;
    }

    [Fact]
    public void CapacityUnlock_NeverCrossesTheInterconnectOnAYearOfWeather_WhileTheUncappedBaselineDoes()
    {
        // An interconnect between the two plants' uncapped peaks, so that only the hybrid one can hold
        // it: with accelerator power following the batch (issue 17) the hall draws more than the
        // scenarios' 1.75 MW allow; without the scenarios' events, the hybrid plant held on gas all
        // year peaks at about 1,822 kW and the all-electric one, uncapped, at about 1,996 kW.
        // (A limit that forces capping is not held to the second by a controller that reacts one
        // step after the hourly arrival profile raises the load.)
        const double interconnectW = 1.90e6;
        var hybrid = TwinBuilderTests.Load("capacity-unlock-hybrid.yaml") with { Events = [] };
        hybrid = hybrid with { Site = hybrid.Site with { GridCapacityW = interconnectW } };
        var unlocked = Run(hybrid);
        Assert.Equal(0, unlocked.Twin.SecondsOverGridLimit);
        Assert.True(unlocked.Twin.Ledger.FreedPeakW > 100e3, $"freed peak {unlocked.Twin.Ledger.FreedPeakW} W");

        var baseline = TwinBuilderTests.Load("capacity-unlock-electric.yaml") with { Events = [] };
        baseline = baseline with { Control = baseline.Control with { CapAtGridLimit = false }, Site = baseline.Site with { GridCapacityW = interconnectW } };
        var crossed = Run(baseline);
        Assert.True(crossed.Twin.SecondsOverGridLimit > 3600, $"{crossed.Twin.SecondsOverGridLimit} s over the limit");
        Assert.True(crossed.Twin.Ledger.PeakGridW > interconnectW);
    }

    [Fact]
    public void Outage_UpsCarriesTheLoadUntilTheGeneratorsTakeOver()
    {
        // Issue 6's outage, through the twin's own outage path: the site loses the grid, the UPS
        // carries the metered facility load for the generators' 10 s start, then the generators run.
        // By hand for the capacity-unlock site (12,512 kW, a 500 kWh UPS at 100 % discharge
        // efficiency): 12,512 kW × 10 s = 34.76 kWh delivered, leaving 1 − 34.76 / 500 = 93.05 %.
        // The quick hall is smaller, so its battery is sized in the same ratio to its load at the
        // outage (500 kWh per 12,512 kW): it must then deliver 34.76 kWh × load / 12,512 kW and be
        // left at 93.05 %, whatever that load is.
        var spec = TwinBuilderTests.Load("quick.yaml", new Dictionary<string, string> { ["run.horizon"] = "12 h" });
        spec = spec with
        {
            Site = spec.Site with { Generator = spec.Site.Generator with { StartDelayS = 10 }, Ups = spec.Site.Ups with { DischargeEfficiency = 1.0, MaxPowerW = 1e9 } },
            Events = [new GridEventSpec(GridEventKind.Outage, SimTime.FromHours(6), SimTime.FromHours(1))],
        };

        // The load at the outage does not depend on the battery: measure it on a first run, size the
        // battery from it, and run again.
        var probe = TwinBuilder.Build(spec, Fidelity.Fluid);
        var firstOutageStep = new OutageStepWatcher();
        probe.Twin.ObserveSteps(firstOutageStep);
        probe.Twin.RunUntil(SimTime.FromMinutes(390));
        double loadW = firstOutageStep.Sample!.Value.TotalW;
        Assert.True(loadW > 10e3, $"load {loadW} W");

        double capacityJ = 500 * 3.6e6 * loadW / 12_512e3;
        spec = spec with { Site = spec.Site with { Ups = spec.Site.Ups with { EnergyCapacityJ = capacityJ } } };
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var watcher = new OutageStepWatcher();
        built.Twin.ObserveSteps(watcher);
        built.Twin.RunUntil(SimTime.FromHours(12));
        var twin = built.Twin;
        var ups = twin.Parts.Ups;

        Assert.Equal(loadW, watcher.Sample!.Value.TotalW, 1e-9 * loadW);
        Assert.Equal(34.76, ups.EnergyDeliveredJ / 3.6e6 * 12_512e3 / loadW, 34.76 * 0.001);
        Assert.Equal(0.9305, watcher.StateOfCharge, 0.9305 * 0.001);

        // Then it recharges from the grid once it is back: the books show both, and their difference.
        Assert.Equal(ups.EnergyDeliveredJ - ups.RechargeEnergyJ, twin.Ledger.UpsJ, 1e-6 * ups.EnergyDeliveredJ);
        Assert.Equal(ups.EnergyDeliveredJ / ups.Spec.DischargeEfficiency, ups.RechargeEnergyJ, 1e-6 * ups.EnergyDeliveredJ);
        Assert.Null(twin.UpsDepletedAtS);
        Assert.True(twin.Ledger.GeneratorJ > 0);
        var outcome = Assert.Single(twin.Outcomes);
        Assert.True(outcome.Survived, outcome.Detail);
    }

    [Fact]
    public void Outage_WithASmallBattery_ReportsWhenItRanOut()
    {
        // A battery holding 20 s of the load at the outage, against a 120 s generator start: by hand
        // it runs out 20 s after the grid goes, at 06:00:20, inside the first control step of the
        // outage (60 s), and the IT load is lost until the generators take over.
        var spec = TwinBuilderTests.Load("quick.yaml", new Dictionary<string, string> { ["run.horizon"] = "12 h" });
        spec = spec with
        {
            Site = spec.Site with { Ups = spec.Site.Ups with { DischargeEfficiency = 1.0, MaxPowerW = 1e9 }, Generator = spec.Site.Generator with { StartDelayS = 120 } },
            Events = [new GridEventSpec(GridEventKind.Outage, SimTime.FromHours(6), SimTime.FromHours(1))],
        };
        var probe = TwinBuilder.Build(spec, Fidelity.Fluid);
        var first = new OutageStepWatcher();
        probe.Twin.ObserveSteps(first);
        probe.Twin.RunUntil(SimTime.FromMinutes(390));
        double loadW = first.Sample!.Value.TotalW;
        Assert.Equal(6 * 3600, first.Sample.Value.StartS);

        spec = spec with { Site = spec.Site with { Ups = spec.Site.Ups with { EnergyCapacityJ = loadW * 20 } } };
        var twin = Run(spec, SimTime.FromHours(12)).Twin;
        Assert.NotNull(twin.UpsDepletedAtS);
        Assert.Equal((6 * 3600) + 20, twin.UpsDepletedAtS!.Value, 1e-6);
        Assert.False(Assert.Single(twin.Outcomes).Survived);
    }

    /// <summary>Keeps the first control step the UPS carried and its charge after it.</summary>
    private sealed class OutageStepWatcher : IControlStepObserver
    {
        public FacilitySample? Sample { get; private set; }

        public double StateOfCharge { get; private set; }

        public void OnControlStep(HallTwin twin)
        {
            if (Sample is null && twin.LastStep.UpsW > 0)
            {
                Sample = twin.LastStep;
                StateOfCharge = twin.Parts.Ups.StateOfCharge;
            }
        }
    }

    [Fact]
    public void DemandResponse_MetByGasWhenGasSuffices_AndByCappingWhenItDoesNot()
    {
        var spec = TwinBuilderTests.Load("quick.yaml", new Dictionary<string, string> { ["run.horizon"] = "1 d" });
        FacilityCheck(spec, 5e3, expectCap: false);
        FacilityCheck(spec, 30e3, expectCap: true);
    }

    [Fact]
    public void DemandResponse_ThreeHourEvent_CurtailsTheHandWorkedItEnergy()
    {
        // The capacity-unlock site's event by hand (DemandResponsePolicyTests): a 2,000 kW reduction
        // against a baseline whose hybrid chillers draw 1,712.04 kW; gas carries all of that, and the
        // 287.96 kW left comes off IT, W for W, for three hours: 287.96 × 3 = 863.88 kWh of IT energy
        // not delivered. Through the twin's own path here: the scenario's grid event, the
        // demand-response policy the control section builds, and the ledger's IT energy against the
        // same hall without the event. The quick hall is smaller, so the reduction is sized in the
        // same ratio to its hybrid chiller's draw at the event (2,000 kW per 1,712.04 kW), and the IT
        // energy it gives up is scaled back by that ratio.
        var spec = TwinBuilderTests.Load("quick.yaml", new Dictionary<string, string> { ["run.horizon"] = "18 h" });
        var chat = spec.Workload.Classes[0];
        spec = spec with
        {
            // A flat arrival rate: the hand figure assumes the hall's demand stays at the baseline's.
            Workload = spec.Workload with { Classes = [chat with { Arrivals = chat.Arrivals with { Process = DataCenterTwin.Scenarios.Sections.ArrivalProcessKind.Poisson } }] },
            Control = spec.Control with { GuardFraction = 0 },
            Events = [],
        };
        var start = SimTime.FromHours(14);
        var end = SimTime.FromHours(17);

        var without = TwinBuilder.Build(spec, Fidelity.Fluid).Twin;
        without.RunUntil(start);
        double movableW = without.Parts.Cooling.Plant.Chillers.OfType<Model.Cooling.HybridChiller>().Sum(h => h.AllElectricEquivalentW);
        var baseline = without.LastStep;
        double itAtStartJ = without.Ledger.ItJ;
        without.RunUntil(end);
        double itWithoutJ = without.Ledger.ItJ - itAtStartJ;

        double scale = 1_712.04e3 / movableW;
        double reductionW = 2_000e3 / scale;
        var twin = TwinBuilder.Build(spec with { Events = [new GridEventSpec(GridEventKind.DemandResponse, start, end - start, reductionW)] }, Fidelity.Fluid).Twin;
        twin.RunUntil(start);
        itAtStartJ = twin.Ledger.ItJ;
        twin.RunUntil(end);
        double curtailedKWh = (itWithoutJ - (twin.Ledger.ItJ - itAtStartJ)) / 3.6e6 * scale;
        twin.RunUntil(end + SimTime.FromMinutes(1));
        // (The event's compliance, judged on the mean grid draw against the target, is not what the
        // hand figure is about; this test checks the IT energy given up.)
        Assert.Equal("demand-response", Assert.Single(twin.Outcomes).Kind);

        // The hand example holds the rest of the site fixed (losses 500 kW, other 50 kW); in the
        // twin the distribution losses, the other load, the electric chiller, pumps and fans fall
        // with IT, k W per IT watt, and the policy counts that saving as margin ("W for W, the
        // overhead it also saves is margin"), so the cut settles at 287.96 / (1 + k): 863.88 /
        // (1 + k) kWh. k is taken as the baseline's average non-hybrid overhead, (facility − IT −
        // hybrid chillers) / IT, about 0.107 here; the marginal overhead differs from the average by
        // the part-load curves of the chiller, pumps and UPS, a percent of the figure, hence 2 %.
        double k = (baseline.TotalW - baseline.ItW - movableW) / baseline.ItW;
        Assert.InRange(k, 0.05, 0.2);
        Assert.Equal(863.88 / (1 + k), curtailedKWh, 863.88 / (1 + k) * 0.02);
    }

    private static void FacilityCheck(ScenarioSpec spec, double reductionW, bool expectCap)
    {
        spec = spec with { Events = [new GridEventSpec(GridEventKind.DemandResponse, SimTime.FromHours(14), SimTime.FromHours(3), reductionW)] };
        var built = TwinBuilder.Build(spec, Fidelity.Fluid);
        var capped = new CapWatcher();
        built.Twin.Observe(capped);
        built.Twin.RunUntil(spec.Run.Horizon);
        var outcome = Assert.Single(built.Twin.Outcomes);
        Assert.True(outcome.Compliance >= 0.99, outcome.Detail);
        Assert.Equal(expectCap, capped.Capped);
    }

    private sealed class CapWatcher : ITwinObserver
    {
        public bool Capped { get; private set; }

        public void OnFacilityInterval(in FacilitySample interval) => Capped |= double.IsFinite(interval.ItCapW);

        public void OnRackInterval(in RackSample interval)
        {
        }

        public void OnPlantInterval(in PlantSample interval)
        {
        }

        public void OnEvent(in TwinEvent e)
        {
        }
    }
}
