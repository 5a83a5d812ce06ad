namespace DataCenterTwin.Model.Economics;

/// <summary>One priced part of a hall: what it costs once, how long it lasts and what keeping it costs each year.</summary>
/// <param name="Name">What it is ("chiller-1", "building and electrical").</param>
/// <param name="Category">The group it is reported in: facility, cooling or IT.</param>
/// <param name="CostUsd">Capital cost, installed, USD.</param>
/// <param name="LifeYears">Service life; the part is bought again at the end of it, years.</param>
/// <param name="MaintenanceUsdPerYear">Maintenance in each year of use, USD.</param>
/// <param name="FirstYear">The year of the study it is bought in (0: at the start; racks added by load growth later), years.</param>
public sealed record CapitalItem(string Name, CostCategory Category, double CostUsd, int LifeYears, double MaintenanceUsdPerYear, int FirstYear = 0);

/// <summary>The groups capital cost is reported in.</summary>
public enum CostCategory
{
    /// <summary>Building shell and fit-out, the electrical path (switchgear, UPS, generators).</summary>
    Facility,

    /// <summary>Chillers, towers, heat exchangers, CDUs, plant controls.</summary>
    Cooling,

    /// <summary>Accelerator servers.</summary>
    It,
}
