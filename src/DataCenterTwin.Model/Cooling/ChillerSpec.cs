namespace DataCenterTwin.Model.Cooling;

/// <summary>How a chiller's condenser rejects heat.</summary>
public enum CondenserType
{
    /// <summary>Condenser water from a cooling tower (follows wet-bulb).</summary>
    WaterCooled,

    /// <summary>Air-cooled condenser (follows dry-bulb).</summary>
    AirCooled,
}

/// <summary>Common design values of every chiller kind.</summary>
/// <param name="Name">Unit name (for EnergyPlus sets, the dataset's name).</param>
public abstract record ChillerSpec(string Name)
{
    /// <summary>Nominal cooling capacity, W.</summary>
    public abstract double NominalCapacityW { get; }

    /// <summary>Condenser kind.</summary>
    public abstract CondenserType Condenser { get; }
}
