using System.Text.Json;

namespace DataCenterTwin.Scenarios.Economics;

/// <summary>One priced kind of part: a cost per unit of what it is sized by, a life and a yearly maintenance share.</summary>
/// <param name="Name">Catalog name (<c>chiller-screw-water-cooled</c>, <c>server-DGX-H100</c>).</param>
/// <param name="Per">What one unit of cost is per, in words (<c>W of rated cooling</c>, <c>server</c>).</param>
/// <param name="CostUsd">Capital cost per unit, USD.</param>
/// <param name="LifeYears">Service life, years.</param>
/// <param name="MaintenanceFractionPerYear">Maintenance each year over the capital cost.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record CostEntry(string Name, string Per, double CostUsd, int LifeYears, double MaintenanceFractionPerYear, string Source);

/// <summary>
/// The cost catalog (assets/costs/cost-catalog.json): capital cost, service life and maintenance of
/// each kind of part, every entry with its source. A missing field, a negative cost or a life under
/// a year is an error naming the entry.
/// </summary>
public sealed class CostCatalog
{
    private readonly Dictionary<string, CostEntry> _entries;

    private CostCatalog(Dictionary<string, CostEntry> entries) => _entries = entries;

    /// <summary>Every entry by name.</summary>
    public IReadOnlyDictionary<string, CostEntry> Entries => _entries;

    /// <summary>The entry of that name, or null when the catalog does not price it.</summary>
    public CostEntry? Find(string name) => _entries.GetValueOrDefault(name);

    /// <summary>Reads a catalog file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid catalog; the message names the entry and field.</exception>
    public static CostCatalog Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected an \"items\" array");
        }

        var entries = new Dictionary<string, CostEntry>(StringComparer.Ordinal);
        int i = 0;
        foreach (var e in items.EnumerateArray())
        {
            string where = $"{path}: items[{i++}]";
            string name = Text(e, "name", where);
            where = $"{where} ({name})";
            double cost = Number(e, "costUsd", where);
            double life = Number(e, "lifeYears", where);
            double maintenance = Number(e, "maintenanceFractionPerYear", where);
            if (cost < 0 || maintenance < 0 || life < 1 || life != Math.Floor(life))
            {
                throw new InvalidDataException($"{where}: costUsd and maintenanceFractionPerYear must be at least 0 and lifeYears a whole number of at least 1");
            }

            if (!entries.TryAdd(name, new CostEntry(name, Text(e, "per", where), cost, (int)life, maintenance, Text(e, "source", where))))
            {
                throw new InvalidDataException($"{where}: the name is used twice");
            }
        }

        return new CostCatalog(entries);
    }

    private static string Text(JsonElement e, string key, string where) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new InvalidDataException($"{where}: expected a non-empty string \"{key}\"");

    private static double Number(JsonElement e, string key, string where) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble())
            ? v.GetDouble()
            : throw new InvalidDataException($"{where}: expected a number \"{key}\"");
}
