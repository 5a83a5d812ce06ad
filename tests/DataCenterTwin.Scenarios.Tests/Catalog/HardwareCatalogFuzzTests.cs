using FsCheck.Xunit;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Scenarios.Tests.Catalog;

public class HardwareCatalogFuzzTests
{
    private static readonly string Shipped = File.ReadAllText(AssetPaths.Asset("hardware/catalog.json"));

    private static bool ParsesOrRefuses(string json)
    {
        try
        {
            HardwareCatalog.Parse(json, AssetPaths.FindAssetsDirectory()!, "fuzz.json");
            return true;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    [Property(MaxTest = 300)]
    public bool RandomText_GivesACatalogOrAnError_NeverACrash(string? text) => ParsesOrRefuses(text ?? "");

    [Property(MaxTest = 300)]
    public bool TheShippedCatalog_WithACharacterChanged_GivesACatalogOrAnError(int position, char c)
    {
        int at = (int)((uint)position % (uint)Shipped.Length);
        return ParsesOrRefuses(string.Concat(Shipped.AsSpan(0, at), c.ToString(), Shipped.AsSpan(at + 1)));
    }
}
