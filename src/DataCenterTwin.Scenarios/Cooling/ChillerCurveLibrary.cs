using DataCenterTwin.Scenarios.Catalog;
using System.Globalization;
using System.Text.Json;
using DataCenterTwin.Model.Cooling;

namespace DataCenterTwin.Scenarios.Cooling;

/// <summary>
/// EnergyPlus chiller curve sets by name (assets/chillers): every Chiller:Electric:EIR object of
/// the EnergyPlus datasets, and the Chiller:EngineDriven example.
/// </summary>
public sealed class ChillerCurveLibrary
{
    /// <summary>The Carrier 19XR water-cooled centrifugal (VSD) of EnergyPlus's Chillers.idf.</summary>
    public const string Carrier19Xr = "ElectricEIRChiller Carrier 19XR 1758kW/5.86COP/VSD";

    /// <summary>The York YS water-cooled screw (slide valve) of EnergyPlus's Chillers.idf, fitted to 35 °C condenser water.</summary>
    public const string YorkYs = "ElectricEIRChiller York YS 1758kW/5.84COP/Valve";

    /// <summary>The Carrier 30XA400 air-cooled screw of AirCooledChiller.idf.</summary>
    public const string Carrier30Xa = "ElectricEIRChiller Carrier 30XA400 1348kW/3COP";

    /// <summary>The engine-driven example of EngineChiller.idf.</summary>
    public const string BigChiller = "Big Chiller";

    private readonly Dictionary<string, ElectricChillerSpec> _electric = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EngineDrivenChillerSpec> _engine = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReformulatedEirChillerSpec> _reformulated = new(StringComparer.Ordinal);

    /// <summary>Names of the reformulated-EIR chillers (Chiller:Electric:ReformulatedEIR).</summary>
    public IReadOnlyCollection<string> ReformulatedNames => _reformulated.Keys;

    /// <summary>A reformulated-EIR chiller by its EnergyPlus name; <paramref name="capacityW"/> rescales it.</summary>
    /// <exception cref="KeyNotFoundException">No chiller of that name.</exception>
    public ReformulatedEirChillerSpec Reformulated(string name, double? capacityW = null)
    {
        if (!_reformulated.TryGetValue(name, out var spec))
        {
            throw new KeyNotFoundException($"No reformulated-EIR chiller named '{name}' in the library.");
        }

        return capacityW is { } c ? spec.ScaledTo(c) : spec;
    }

    private ChillerCurveLibrary()
    {
    }

    /// <summary>Names of the electric chillers.</summary>
    public IReadOnlyCollection<string> ElectricNames => _electric.Keys;

    /// <summary>Loads the library from the repository's assets/chillers.</summary>
    public static ChillerCurveLibrary LoadDefault() => Load(AssetPaths.Asset("chillers"));

    /// <summary>Loads <c>energyplus_electric_eir_chillers.csv</c> and <c>chiller_reference_curves.json</c> from a folder.</summary>
    /// <exception cref="InvalidDataException">A row or object is malformed (line or name given).</exception>
    public static ChillerCurveLibrary Load(string folder)
    {
        var lib = new ChillerCurveLibrary();
        lib.ReadCsv(Path.Combine(folder, "energyplus_electric_eir_chillers.csv"));
        string reformulated = Path.Combine(folder, "energyplus_reformulated_eir_chillers.csv");
        if (File.Exists(reformulated))
        {
            lib.ReadCsv(reformulated);
        }
        lib.ReadJson(Path.Combine(folder, "chiller_reference_curves.json"));
        return lib;
    }

    /// <summary>An electric chiller by its EnergyPlus name; <paramref name="capacityW"/> rescales it (needed for autosized sets).</summary>
    /// <exception cref="KeyNotFoundException">No chiller of that name.</exception>
    public ElectricChillerSpec Electric(string name, double? capacityW = null)
    {
        if (!_electric.TryGetValue(name, out var spec))
        {
            throw new KeyNotFoundException($"No electric chiller named '{name}' in the library.");
        }

        if (capacityW is { } c)
        {
            return spec.ScaledTo(c);
        }

        return double.IsNaN(spec.RatedCapacityW)
            ? throw new ArgumentException($"'{name}' is autosized in EnergyPlus: give a capacity.", nameof(capacityW))
            : spec;
    }

    /// <summary>The engine-driven chiller by name; <paramref name="capacityW"/> rescales it.</summary>
    /// <exception cref="KeyNotFoundException">No chiller of that name.</exception>
    public EngineDrivenChillerSpec EngineDriven(string name = BigChiller, double? capacityW = null)
    {
        if (!_engine.TryGetValue(name, out var spec))
        {
            throw new KeyNotFoundException($"No engine-driven chiller named '{name}' in the library.");
        }

        return capacityW is { } c ? spec with { NominalCapacityWValue = c } : spec;
    }

    private void ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path}:1: empty");
        var names = header.Split(',');
        var col = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            col[names[i]] = i;
        }

        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var f = text.Split(',');
            if (f.Length != names.Length)
            {
                throw new InvalidDataException($"{path}:{line}: expected {names.Length} fields, found {f.Length}");
            }

            double N(string field)
            {
                string raw = f[col[field]];
                if (raw == "Autosize")
                {
                    return double.NaN;
                }

                return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                    ? v
                    : throw new InvalidDataException($"{path}:{line}: field '{field}': expected a number, got '{raw}'");
            }

            BiquadraticCurve Bi(string p) => new(N(p + "_c1"), N(p + "_c2"), N(p + "_c3"), N(p + "_c4"), N(p + "_c5"), N(p + "_c6"),
                N(p + "_x_min"), N(p + "_x_max"), N(p + "_y_min"), N(p + "_y_max"));

            string name = f[col["name"]];
            if (f[col["object_type"]] == "Chiller:Electric:ReformulatedEIR")
            {
                var c = new double[10];
                for (int k = 0; k < 10; k++)
                {
                    c[k] = N($"eirfplr_c{k + 1}");
                }

                _reformulated[name] = new ReformulatedEirChillerSpec(name, N("ref_capacity_W"), N("ref_COP"), N("ref_leaving_chw_C"), N("ref_leaving_cond_C"),
                    N("ref_cond_flow_m3s"), N("min_PLR"), N("max_PLR"), Bi("capft"), Bi("eirft"),
                    new BicubicCurve(c, N("eirfplr_x_min"), N("eirfplr_x_max"), N("eirfplr_y_min"), N("eirfplr_y_max")));
                continue;
            }

            var condenser = f[col["condenser_type"]] == "AirCooled" ? CondenserType.AirCooled : CondenserType.WaterCooled;
            _electric[name] = new ElectricChillerSpec(name, N("ref_capacity_W"), N("ref_COP"), N("ref_leaving_chw_C"), N("ref_entering_cond_C"),
                N("min_PLR"), N("max_PLR"), Bi("capft"), Bi("eirft"),
                new QuadraticCurve(N("eirfplr_c1"), N("eirfplr_c2"), N("eirfplr_c3"), N("eirfplr_x_min"), N("eirfplr_x_max")), condenser);
        }
    }

    private void ReadJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var engine = doc.RootElement.GetProperty("engine_driven_chiller_example");
        var o = engine.GetProperty("object");
        var curves = engine.GetProperty("curves");
        double P(string key) => o.GetProperty(key).GetDouble();
        QuadraticCurve Coeff(string prefix) => new(P($"Coefficient 1 of {prefix}"), P($"Coefficient 2 of {prefix}"), P($"Coefficient 3 of {prefix}"));
        QuadraticCurve Curve(string field)
        {
            var c = curves.GetProperty(o.GetProperty(field).GetString()!);
            var k = c.GetProperty("coefficients");
            return new QuadraticCurve(k[0].GetDouble(), k[1].GetDouble(), k[2].GetDouble(), c.GetProperty("x_min").GetDouble(), c.GetProperty("x_max").GetDouble());
        }

        string name = o.GetProperty("Name").GetString()!;
        _engine[name] = new EngineDrivenChillerSpec(name, P("Nominal Capacity {W}"), P("Nominal COP {W/W}"),
            P("Minimum Part Load Ratio"), P("Maximum Part Load Ratio"), P("Design Condenser Inlet Temperature {C}"),
            P("Temperature Rise Coefficient"), P("Design Chilled Water Outlet Temperature {C}"),
            Coeff("Capacity Ratio Curve"), Coeff("Power Ratio Curve"), Coeff("Full Load Ratio Curve"),
            Curve("Fuel Use Curve Name"), Curve("Jacket Heat Recovery Curve Name"), Curve("Lube Heat Recovery Curve Name"),
            Curve("Total Exhaust Energy Curve Name"));
    }
}
