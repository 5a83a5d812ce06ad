using DataCenterTwin.Model.Cooling;
using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Runs;

/// <summary>
/// The twin's state at the end of one control step: the facility, every rack, chiller and CDU, and
/// each request class. A snapshot a session hands out is the caller's: the session never writes to
/// it again, so it can be read on any thread. The session fills two of its own in turn every step
/// (no allocation) and readers copy the latest under a sequence check, so a copy is never torn.
/// </summary>
public sealed class TwinSnapshot
{
    /// <summary>An empty snapshot shaped for a hall of this size.</summary>
    public TwinSnapshot(int racks, int chillers, int cdus, int classes)
    {
        RackPowerW = new double[racks];
        RackInletC = new double[racks];
        RackOutletC = new double[racks];
        RackSpeedFactor = new double[racks];
        RackUtilisation = new double[racks];
        RackThrottled = new bool[racks];
        ChillerMode = new string[chillers];
        ChillerLoadW = new double[chillers];
        ChillerCop = new double[chillers];
        ChillerElectricW = new double[chillers];
        ChillerFuelW = new double[chillers];
        ChillerTripped = new bool[chillers];
        CduSupplyC = new double[cdus];
        CduReturnC = new double[cdus];
        CduHeatW = new double[cdus];
        CduTripped = new bool[cdus];
        Classes = new ClassReading[classes];
    }

    /// <summary>Simulated time of the step's end, s since the start.</summary>
    public double TimeS { get; private set; }

    /// <summary>Control steps taken.</summary>
    public long Step { get; private set; }

    /// <summary>IT power over the step, W.</summary>
    public double ItW { get; private set; }

    /// <summary>Cooling electric power, W.</summary>
    public double CoolingW { get; private set; }

    /// <summary>Distribution losses, W.</summary>
    public double LossesW { get; private set; }

    /// <summary>Other facility load, W.</summary>
    public double OtherW { get; private set; }

    /// <summary>Facility power, W: IT, cooling, losses and other.</summary>
    public double TotalW { get; private set; }

    /// <summary>Power usage effectiveness of the step.</summary>
    public double Pue => ItW > 0 ? TotalW / ItW : double.NaN;

    /// <summary>Grid draw, W.</summary>
    public double GridW { get; private set; }

    /// <summary>Grid limit in force, W.</summary>
    public double GridCapW { get; private set; }

    /// <summary>Electrical capacity freed by gas cooling, W.</summary>
    public double FreedW { get; private set; }

    /// <summary>Gas burnt for cooling, W.</summary>
    public double GasW { get; private set; }

    /// <summary>Gas share the policy asked for.</summary>
    public double GasShare { get; private set; }

    /// <summary>UPS state of charge, 0..1.</summary>
    public double UpsStateOfCharge { get; private set; }

    /// <summary>Power the UPS delivered over the step, W.</summary>
    public double UpsW { get; private set; }

    /// <summary>Power the generators delivered over the step, W.</summary>
    public double GeneratorW { get; private set; }

    /// <summary>Whether the generators are running.</summary>
    public bool GeneratorRunning { get; private set; }

    /// <summary>Mean accelerator utilisation of the hall since the start, 0..1 (the <see cref="RackUtilisation"/> values weighted by each rack's accelerators).</summary>
    public double Utilisation { get; private set; }

    /// <summary>Facility supply water temperature, °C.</summary>
    public double FacilitySupplyC { get; private set; }

    /// <summary>Facility return water temperature, °C.</summary>
    public double FacilityReturnC { get; private set; }

    /// <summary>Outdoor dry-bulb temperature at the latest control step, °C.</summary>
    public double OutdoorDryBulbC { get; private set; }

    /// <summary>IT energy since the start, J.</summary>
    public double ItJ { get; private set; }

    /// <summary>Cooling electric energy since the start, J.</summary>
    public double CoolingJ { get; private set; }

    /// <summary>Distribution losses since the start, J.</summary>
    public double LossesJ { get; private set; }

    /// <summary>Other facility energy since the start, J.</summary>
    public double OtherJ { get; private set; }

    /// <summary>Facility energy since the start, J (IT, cooling, losses and other).</summary>
    public double TotalJ { get; private set; }

    /// <summary>Each rack's power over the step, W.</summary>
    public double[] RackPowerW { get; }

    /// <summary>Each rack's inlet air temperature, °C.</summary>
    public double[] RackInletC { get; }

    /// <summary>Each rack's exhaust air temperature, °C.</summary>
    public double[] RackOutletC { get; }

    /// <summary>Each rack's clock factor in force.</summary>
    public double[] RackSpeedFactor { get; }

    /// <summary>Whether each rack runs below full clocks (heat or a cap).</summary>
    public bool[] RackThrottled { get; }

    /// <summary>Each rack's mean accelerator utilisation since the start (busy time over available time), 0..1; 0 for a rack without accelerators.</summary>
    public double[] RackUtilisation { get; }

    /// <summary>Each chiller's mode ("electric", "gas", "split", "grid-responsive", "off"; "manual " in front when held by hand).</summary>
    public string[] ChillerMode { get; }

    /// <summary>Each chiller's cooling load, W.</summary>
    public double[] ChillerLoadW { get; }

    /// <summary>Each chiller's COP over electricity and fuel.</summary>
    public double[] ChillerCop { get; }

    /// <summary>Each chiller's electric power, W.</summary>
    public double[] ChillerElectricW { get; }

    /// <summary>Each chiller's fuel power, W.</summary>
    public double[] ChillerFuelW { get; }

    /// <summary>Whether each chiller is tripped or switched off.</summary>
    public bool[] ChillerTripped { get; }

    /// <summary>Each CDU's secondary supply temperature, °C.</summary>
    public double[] CduSupplyC { get; }

    /// <summary>Each CDU's secondary return temperature, °C.</summary>
    public double[] CduReturnC { get; }

    /// <summary>Heat each CDU passes to the facility loop, W.</summary>
    public double[] CduHeatW { get; }

    /// <summary>Whether each CDU is tripped.</summary>
    public bool[] CduTripped { get; }

    /// <summary>Each request class's counts, queue and latency quantiles so far.</summary>
    public ClassReading[] Classes { get; }

    /// <summary>Fills this snapshot from the twin as it stands (on the simulation thread).</summary>
    internal void Capture(HallTwin twin)
    {
        var s = twin.LastStep;
        var p = twin.Parts;
        var cooling = p.Cooling;
        var ledger = twin.Ledger;
        TimeS = s.StartS + s.DurationS;
        Step = twin.Steps;
        ItW = s.ItW;
        CoolingW = s.CoolingElectricW;
        LossesW = s.LossesW;
        OtherW = s.OtherW;
        TotalW = s.TotalW;
        GridW = s.GridW;
        GridCapW = s.GridCapW;
        FreedW = s.FreedW;
        GasW = s.GasW;
        GasShare = s.GasShare;
        UpsStateOfCharge = p.Ups.StateOfCharge;
        UpsW = s.UpsW;
        GeneratorW = s.GeneratorW;
        GeneratorRunning = p.Generator.IsRunning;
        Utilisation = s.Utilisation;
        FacilitySupplyC = cooling.FacilitySupplyC;
        FacilityReturnC = cooling.FacilityReturnC;
        OutdoorDryBulbC = s.OutdoorDryBulbC;
        ItJ = ledger.ItJ;
        CoolingJ = ledger.CoolingJ;
        LossesJ = ledger.LossesJ;
        OtherJ = ledger.OtherJ;
        TotalJ = ledger.TotalJ;
        twin.RackPowerW.CopyTo(RackPowerW);
        cooling.RackInletTempC.CopyTo(RackInletC);
        twin.RackSpeedFactor.CopyTo(RackSpeedFactor);
        p.It.RackUtilisation(RackUtilisation);
        for (int r = 0; r < RackPowerW.Length; r++)
        {
            RackOutletC[r] = twin.RackOutletAirC(r);
            RackThrottled[r] = RackSpeedFactor[r] < 1;
        }

        var chillers = cooling.Plant.Chillers;
        for (int i = 0; i < ChillerLoadW.Length; i++)
        {
            var c = chillers[i];
            var held = twin.ChillerMode(i);
            ChillerMode[i] = held != ChillerModeSetting.Automatic ? ManualModeNames[(int)held] : ModeName(c);
            ChillerLoadW[i] = c.CoolingW;
            ChillerCop[i] = c.Cop;
            ChillerElectricW[i] = c.ElectricW;
            ChillerFuelW[i] = c.FuelW;
            ChillerTripped[i] = c.IsTripped;
        }

        for (int i = 0; i < CduSupplyC.Length; i++)
        {
            var d = cooling.Cdus[i];
            CduSupplyC[i] = d.SupplyTempC;
            CduReturnC[i] = d.ReturnTempC;
            CduHeatW[i] = d.HeatToFacilityW;
            CduTripped[i] = d.IsTripped;
        }

        if (twin.Compute is { } compute)
        {
            for (int k = 0; k < Classes.Length; k++)
            {
                Classes[k] = compute.ReadClass(k);
            }
        }
    }

    /// <summary>Copies <paramref name="from"/> into this snapshot (same shape).</summary>
    internal void CopyFrom(TwinSnapshot from)
    {
        TimeS = from.TimeS;
        Step = from.Step;
        ItW = from.ItW;
        CoolingW = from.CoolingW;
        LossesW = from.LossesW;
        OtherW = from.OtherW;
        TotalW = from.TotalW;
        GridW = from.GridW;
        GridCapW = from.GridCapW;
        FreedW = from.FreedW;
        GasW = from.GasW;
        GasShare = from.GasShare;
        UpsStateOfCharge = from.UpsStateOfCharge;
        UpsW = from.UpsW;
        GeneratorW = from.GeneratorW;
        GeneratorRunning = from.GeneratorRunning;
        Utilisation = from.Utilisation;
        FacilitySupplyC = from.FacilitySupplyC;
        FacilityReturnC = from.FacilityReturnC;
        OutdoorDryBulbC = from.OutdoorDryBulbC;
        ItJ = from.ItJ;
        CoolingJ = from.CoolingJ;
        LossesJ = from.LossesJ;
        OtherJ = from.OtherJ;
        TotalJ = from.TotalJ;
        from.RackPowerW.CopyTo(RackPowerW);
        from.RackInletC.CopyTo(RackInletC);
        from.RackOutletC.CopyTo(RackOutletC);
        from.RackSpeedFactor.CopyTo(RackSpeedFactor);
        from.RackThrottled.CopyTo(RackThrottled);
        from.RackUtilisation.CopyTo(RackUtilisation);
        from.ChillerMode.CopyTo(ChillerMode);
        from.ChillerLoadW.CopyTo(ChillerLoadW);
        from.ChillerCop.CopyTo(ChillerCop);
        from.ChillerElectricW.CopyTo(ChillerElectricW);
        from.ChillerFuelW.CopyTo(ChillerFuelW);
        from.ChillerTripped.CopyTo(ChillerTripped);
        from.CduSupplyC.CopyTo(CduSupplyC);
        from.CduReturnC.CopyTo(CduReturnC);
        from.CduHeatW.CopyTo(CduHeatW);
        from.CduTripped.CopyTo(CduTripped);
        from.Classes.CopyTo(Classes, 0);
    }

    private static readonly string[] ManualModeNames = ["automatic", "manual electric", "manual gas", "manual gas-share", "manual off"];

    private static string ModeName(IChiller c) => c switch
    {
        _ when c.IsTripped => "off",
        HybridChiller h => h.Mode switch
        {
            HybridMode.Electric => "electric",
            HybridMode.Gas => "gas",
            HybridMode.Split => "split",
            _ => "grid-responsive",
        },
        EngineDrivenChiller => "gas",
        _ => "electric",
    };
}
