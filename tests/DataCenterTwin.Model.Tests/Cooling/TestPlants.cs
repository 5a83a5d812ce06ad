using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Model.Tests.Cooling;

/// <summary>Chillers and small halls for the tests (curves copied from assets/chillers).</summary>
internal static class TestPlants
{
    /// <summary>ElectricEIRChiller Carrier 19XR 1758kW/5.86COP/VSD (EnergyPlus datasets/Chillers.idf).</summary>
    public static ElectricChillerSpec Carrier19Xr { get; } = new(
        "ElectricEIRChiller Carrier 19XR 1758kW/5.86COP/VSD", 1_758_300, 5.86, 5.56, 24.44, 0.2, 1.02,
        new BiquadraticCurve(0.3677279, -0.03175504, -0.004096383, 0.07527566, -0.00275754, 0.00535902, 5.56, 10.0, 12.78, 24.44),
        new BiquadraticCurve(0.1743365, -0.05054806, -0.005424748, 0.08244673, -0.002400392, 0.00507872, 5.56, 10.0, 12.78, 24.44),
        new QuadraticCurve(0.278458, -0.5498632, 1.269693, 0.2, 1.02));

    /// <summary>EnergyPlus testfiles/EngineChiller.idf "Big Chiller".</summary>
    public static EngineDrivenChillerSpec BigChiller { get; } = new(
        "Big Chiller", 100_000, 2.75, 0.15, 1.0, 35.0, 2.778, 6.67,
        new QuadraticCurve(0.9949, -0.045954, -0.0013543),
        new QuadraticCurve(2.333, -1.975, 0.6121),
        new QuadraticCurve(0.03303, 0.6852, 0.2818),
        new QuadraticCurve(1.3, 0.6318, -0.4165, 0, 1),
        new QuadraticCurve(0.25, 0, 0, 0, 1),
        new QuadraticCurve(0.15, 0, 0, 0, 1),
        new QuadraticCurve(0.1, 0, 0, 0, 1));

    public static HybridChillerSpec Hybrid(double startDelayS = 120, double rampPerS = 0.01, double minRunS = 1800, int maxStarts = 4) =>
        HybridChillerSpec.WithSizedEngine("Hybrid 19XR", Carrier19Xr, 0.01, startDelayS, rampPerS, minRunS, maxStarts);

    public static ChillerPlantSpec Plant(IReadOnlyList<ChillerSpec> chillers, WatersideEconomizerSpec? econ = null, IHybridModePolicy? policy = null) => new(
        chillers,
        new CoolingTowerSpec(DesignHeatRejectionW: 6e6, DesignApproachK: 4, DesignFanPowerW: 60_000),
        new PumpGroupSpec("condenser", chillers.Count, DesignFlowKgPerS: 75, DesignPowerW: 30_000),
        econ, 0.9, policy);

    /// <summary>A hall: <paramref name="racks"/> racks, all of one kind, two CDUs, four CRAHs.</summary>
    public static CoolingSystemSpec Hall(IReadOnlyList<RackThermalSpec> racks, ChillerPlantSpec plant, bool throttleReducesPower = true)
    {
        var water = Coolant.Water;
        double designW = racks.Sum(r => r.DesignPowerW);
        double liquidW = racks.Where(r => r.Cooling == RackCoolingType.DirectToChip).Sum(r => r.DesignPowerW * r.LiquidFraction);
        double cduFlow = Math.Max(1, liquidW / 2 / 1000 * water.MassFlowKgPerS(1.5));
        var cdus = Enumerable.Range(0, 2).Select(i => new CduSpec($"cdu{i}", 0.8,
            new CoolantLoopSpec($"secondary{i}", water, 1500, cduFlow, 30),
            new PumpGroupSpec($"cdu{i} pumps", 2, cduFlow / 2, 7_500))).ToList();
        double airW = designW - liquidW;
        var crahs = Enumerable.Range(0, 4).Select(i => new CrahSpec($"crah{i}", Math.Max(200_000, airW / 3), 20, 15_000, 12, 35)).ToList();
        double facilityFlow = designW / (4180 * 8);
        return new CoolingSystemSpec(racks, new AirPathSpec(20), crahs,
            new AcceleratorThermalSpec(ThrottleReducesItPower: throttleReducesPower), cdus,
            new CoolantLoopSpec("facility", water, 20_000, facilityFlow, 18), new PumpGroupSpec("facility", 3, facilityFlow / 2, 20_000), 10, plant);
    }
}
