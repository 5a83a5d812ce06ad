using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Thermal;

namespace DataCenterTwin.Scenarios.Cooling;

/// <summary>
/// The reference hall of the plant benchmark and tests: 48 racks at 40 kW (32 direct-to-chip on
/// two CDUs, 16 with rear doors), six CRAHs, and three 1 MW chillers on the York YS screw curves
/// (fitted up to 35 °C entering condenser water, so hot weather shows; the Carrier 19XR set stops
/// at 24.44 °C and EnergyPlus clamps above it), the
/// first a hybrid gas/electric unit whose natural-gas engine (sized to the compressor) carries the
/// shaft work the screw's own curves ask; a waterside economiser; Dulles weather.
/// </summary>
public static class ReferenceHall
{
    /// <summary>Racks in the hall.</summary>
    public const int Racks = 48;

    /// <summary>Design IT power per rack, W.</summary>
    public const double RackDesignW = 40_000;

    /// <summary>Interconnect capacity the grid-responsive policy protects, W.</summary>
    public const double InterconnectW = 2_150_000;

    /// <summary>Headroom the grid-responsive policy keeps, W.</summary>
    public const double ReserveW = 150_000;

    /// <summary>Facility water supply set point, °C.</summary>
    public const double FacilitySupplyC = 14;

    /// <summary>Builds the hall's spec from the chiller library.</summary>
    public static CoolingSystemSpec Create(ChillerCurveLibrary library, bool economizer = true)
    {
        var water = Coolant.Water;
        var screw = library.Electric(ChillerCurveLibrary.YorkYs);
        var hybrid = HybridChillerSpec.WithSizedEngine("hybrid 1 (YS + gas engine)", screw.ScaledTo(1_000_000),
            parasiticElectricFraction: 0.01, engineStartDelayS: 120, engineRampPerS: 1.0 / 300, minRunTimeS: 1800, maxStartsPerHour: 3);
        var chillers = new ChillerSpec[]
        {
            hybrid,
            screw.ScaledTo(1_000_000, "electric 2 (YS)"),
            screw.ScaledTo(1_000_000, "electric 3 (YS)"),
        };
        var plant = new ChillerPlantSpec(chillers,
            new CoolingTowerSpec(DesignHeatRejectionW: 3_000_000, DesignApproachK: 4, DesignFanPowerW: 30_000),
            new PumpGroupSpec("condenser water", 3, DesignFlowKgPerS: 57, DesignPowerW: 22_000),
            economizer ? new WatersideEconomizerSpec(HeatExchangerApproachK: 1.5, DesignCapacityW: 1_500_000) : null,
            StageUpPartLoadRatio: 0.9, HybridPolicy: new GridResponsivePolicy(ReserveW, HysteresisW: 100_000));

        var racks = new List<RackThermalSpec>(Racks);
        for (int i = 0; i < Racks; i++)
        {
            racks.Add(i % 3 == 2
                ? new RackThermalSpec(RackCoolingType.RearDoor, 0.7, -1, RackDesignW, 32)
                : RackThermalSpec.DirectToChip(RackDesignW, 32, i % 2, 0.8));
        }

        double perCduLiquidW = 16 * RackDesignW * 0.8;
        double cduFlow = water.MassFlowKgPerS(1.5 * perCduLiquidW / 1000);
        var cdus = new List<CduSpec>();
        for (int c = 0; c < 2; c++)
        {
            double initial = FacilitySupplyC + (perCduLiquidW / (0.8 * cduFlow * water.SpecificHeatJPerKgK));
            cdus.Add(new CduSpec($"cdu {c + 1}", 0.8, new CoolantLoopSpec($"secondary {c + 1}", water, 2_000, cduFlow, initial),
                new PumpGroupSpec($"cdu {c + 1} pumps", 2, cduFlow / 2, 5_000)) { DesignDeltaK = perCduLiquidW / (cduFlow * water.SpecificHeatJPerKgK) });
        }

        var crahs = new List<CrahSpec>();
        for (int k = 0; k < 6; k++)
        {
            crahs.Add(new CrahSpec($"crah {k + 1}", 150_000, 12, 7_500, FacilitySupplyC, 35));
        }

        double itW = Racks * RackDesignW;
        double facilityFlow = itW / (water.SpecificHeatJPerKgK * 8);
        return new CoolingSystemSpec(racks, new AirPathSpec(SupplyAirSetpointC: 22), crahs, new AcceleratorThermalSpec(), cdus,
            new CoolantLoopSpec("facility water", water, 30_000, facilityFlow, FacilitySupplyC + 6),
            new PumpGroupSpec("facility water", 3, facilityFlow / 2, 15_000), FacilitySupplyC, plant) { FacilityDesignDeltaK = 8 };
    }

    /// <summary>
    /// The reference IT load at <paramref name="seconds"/> after midnight of day one: each rack
    /// between 60 % and 95 % of design, peaking mid-afternoon, racks slightly out of phase.
    /// </summary>
    public static void RackPowerW(double seconds, Span<double> powerW)
    {
        double hour = seconds / 3600 % 24;
        for (int i = 0; i < powerW.Length; i++)
        {
            double phase = (hour - 9 - (i % 6 * 0.25)) * Math.PI / 12;
            powerW[i] = RackDesignW * (0.775 + (0.175 * Math.Sin(phase)));
        }
    }
}
