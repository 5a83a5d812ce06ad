using System.Text.Json.Nodes;

namespace DataCenterTwin.IntegrationTests.Economics;

/// <summary>Energy, cost and CO2 per million output tokens at a fixed IT power, worked by hand, through <c>dctwin run</c>.</summary>
public sealed class FixedPowerPerTokenTests
{
    // Two DGX-H100 racks whose H100s draw 500 W whatever they do: the catalog's H100 with idle,
    // prefill, decode, TDP and the batch power curve's floor and saturation all set to 500 W, so the
    // IT power does not depend on the load. A flat 0.10 USD/kWh with no demand charge and no gas,
    // grid carbon a constant 400 g/kWh, a steady 1 request/s of 1,024 prompt and 256 output tokens
    // (cv 0), well inside the hall's capacity. Worked by hand for one day:
    //   IT power       2 racks × 4 servers × (2,300 W host + 8 × 500 W)  =         50,400 W
    //   IT energy      50,400 W × 86,400 s = 4,354,560,000 J              =       1,209.6 kWh
    //   output tokens  1 /s × 86,400 s × 256                              =    22,118,400
    //   IT energy per output token   50,400 W / (1 /s × 256)              =       196.875 J
    //   IT energy's cost per million output tokens
    //                  1,209.6 kWh × 0.10 USD/kWh / 22.1184 Mtok          =       5.46875 USD
    //   IT energy's CO2 per million output tokens
    //                  1,209.6 kWh × 0.4 kg/kWh / 22.1184 Mtok            =      21.875   kg
    // The meter carries the IT energy times the run's PUE (cooling, losses, other loads), every
    // kWh at the same price and carbon, so each facility figure is the IT one times the PUE.
    private const string Yaml = """
        name: fixed-power
        site:
          weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw
          start: 2026-07-15
          utc_offset: -5 h
          grid:
            capacity: 10 MW
            carbon: 400 g/kWh
          tariff:
            energy: 0.10 USD/kWh
        hall:
          catalog: CATALOG
          pools:
            - { name: chat, rack: DGX-H100-rack, racks: 2, model: llama2-70b, tensor_parallel: 8, cooling: direct-to-chip, liquid_fraction: 80 % }
        cooling:
          facility_supply: 14 C
          facility_delta_t: 8 K
          chillers:
            - { name: chiller-1, type: electric, curve: ElectricEIRChiller York YS 1758kW/5.84COP/Valve, capacity: 100 kW }
        workload:
          classes:
            - name: chat
              model: llama2-70b
              prompt_tokens: { mean: 1024, cv: 0 }
              output_tokens: { mean: 256, cv: 0 }
              slo: { ttft: 2 s, tpot: 200 ms, e2e: 90 s }
              arrivals: { process: poisson, rate: 1 /s }
        run:
          horizon: 1 d
          fidelity: fluid
          seed: 42
        """;

    [Fact]
    public void FixedPowerHallDay_PerMillionTokenFiguresWorkedByHand()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-fixed-power").FullName;
        try
        {
            string catalog = WriteFlatH100Catalog(dir, 500);
            string path = Path.Combine(dir, "fixed-power.yaml");
            File.WriteAllText(path, Yaml.Replace("CATALOG", catalog, StringComparison.Ordinal));
            var (folder, s) = Repository.Run(path);

            Assert.Equal(1_209.6, (double)s["energy_it_kwh"]!, 1e-6);
            // The backlog left at midnight is under a second of arrivals: 0.01 % of the day.
            double tokens = (double)s["tokens_output"]!;
            Assert.Equal(22_118_400, tokens, 22_118_400 * 1e-4);
            Assert.Equal(196.875, (double)s["energy_it_per_output_token_j"]!, 196.875 * 1e-4);

            double pue = (double)s["pue"]!;
            Assert.InRange(pue, 1.02, 1.6);
            Assert.Equal(196.875 * pue, (double)s["energy_per_output_token_j"]!, 196.875 * pue * 1e-4);
            Assert.Equal(5.46875 * pue, (double)s["cost_per_million_tokens"]!, 5.46875 * pue * 1e-3);
            Assert.Equal(21.875 * pue, (double)s["co2_per_million_tokens_kg"]!, 21.875 * pue * 1e-3);
            Directory.Delete(folder, recursive: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // The repository's hardware catalog with the H100's every power figure set to one value, written
    // under dir/hardware/ with its serving profiles named by absolute path.
    private static string WriteFlatH100Catalog(string dir, double powerW)
    {
        var root = JsonNode.Parse(File.ReadAllText(Repository.Path("assets/hardware/catalog.json")))!;
        var h100 = root["accelerators"]!.AsArray().Single(a => (string)a!["name"]! == "H100-SXM")!;
        foreach (string key in new[] { "tdpW", "idleW", "prefillW", "decodeW" })
        {
            h100[key]!["value"] = powerW;
        }

        h100["power"]!["floorW"]!["value"] = powerW;
        h100["power"]!["saturationW"]!["value"] = powerW;
        foreach (var serving in root["serving"]!.AsArray())
        {
            if (serving!["profile"] is JsonObject profile)
            {
                profile["csv"] = Repository.Path(Path.Combine("assets", (string)profile["csv"]!));
            }
        }

        string hardware = Directory.CreateDirectory(Path.Combine(dir, "hardware")).FullName;
        string path = Path.Combine(hardware, "catalog.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}
