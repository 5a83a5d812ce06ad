namespace DataCenterTwin.Model.Cooling;

/// <summary>A cooling-tower cell group.</summary>
/// <param name="DesignHeatRejectionW">Heat rejected at design, W.</param>
/// <param name="DesignApproachK">Leaving water above outdoor wet-bulb at design load, K.</param>
/// <param name="DesignFanPowerW">Fan power at design airflow, W.</param>
/// <param name="MinCondenserWaterC">Lowest leaving water the tower controls to (fans slow below it), °C.</param>
public sealed record CoolingTowerSpec(double DesignHeatRejectionW, double DesignApproachK, double DesignFanPowerW, double MinCondenserWaterC = 12.78);

/// <summary>
/// A cooling tower: leaving (condenser) water follows the outdoor wet-bulb plus an approach; fan
/// airflow follows the heat load and fan power its cube.
/// </summary>
public sealed class CoolingTower
{
    /// <summary>Creates the tower.</summary>
    public CoolingTower(CoolingTowerSpec spec) => Spec = spec;

    /// <summary>Design values.</summary>
    public CoolingTowerSpec Spec { get; }

    /// <summary>Leaving water temperature at the last step, °C.</summary>
    public double LeavingWaterC { get; private set; }

    /// <summary>Fan power at the last step, W.</summary>
    public double FanPowerW { get; private set; }

    /// <summary>Heat rejected at the last step, W.</summary>
    public double HeatRejectedW { get; private set; }

    /// <summary>Leaving water temperature the tower reaches at a wet-bulb (design approach), °C.</summary>
    public double LeavingWaterAt(double wetBulbC) => Math.Max(Spec.MinCondenserWaterC, wetBulbC + Spec.DesignApproachK);

    /// <summary>Fan power the tower would need for a heat load, W (no state change: the all-electric comparison).</summary>
    public double FanPowerFor(double heatW) => AffinityLaws.Power(Spec.DesignFanPowerW, Math.Clamp(heatW / Spec.DesignHeatRejectionW, 0, 1));

    /// <summary>Sets the operating point for a heat load; returns the fan power, W.</summary>
    public double Run(double heatW, double wetBulbC)
    {
        HeatRejectedW = heatW;
        LeavingWaterC = LeavingWaterAt(wetBulbC);
        double fraction = Math.Clamp(heatW / Spec.DesignHeatRejectionW, 0, 1);
        FanPowerW = AffinityLaws.Power(Spec.DesignFanPowerW, fraction);
        return FanPowerW;
    }
}
