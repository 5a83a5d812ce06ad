namespace DataCenterTwin.IntegrationTests.Economics;

/// <summary>Per-class tokens, energy, cost and revenue in a whole run's summary, against a hall-day worked by hand.</summary>
public sealed class ClassPerTokenTests
{
    // Two classes on two pools of two DGX-H100 racks each, a flat 0.10 USD/kWh tariff with no demand
    // charge and electric chillers only (no gas), steady arrivals with fixed token counts, sold at
    // 2 USD per million output tokens. Class "fast" asks for a 1 ms time to first token, which no
    // request meets. Worked by hand for one day:
    //   chat tokens   2 /s × 86,400 s × 256 = 44,236,800 output   → revenue 88.47 USD, none at risk
    //   fast tokens   1 /s × 86,400 s × 128 = 11,059,200 output   → revenue 22.12 USD, all of it at risk
    //   cost per million output tokens = facility J per token × 1e6 / 3.6e6 J/kWh × 0.10 USD/kWh
    private const string Yaml = """
        name: two-classes
        site:
          weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw
          start: 2026-07-15
          utc_offset: -5 h
          grid:
            capacity: 400 kW
            carbon: assets/grid/PJM_2022_hourly_genmix_carbon_intensity.csv
          tariff:
            energy: 0.10 USD/kWh
        hall:
          pools:
            - { name: chat, rack: DGX-H100-rack, racks: 2, model: llama2-70b, tensor_parallel: 8, cooling: direct-to-chip, liquid_fraction: 80 % }
            - { name: fast, rack: DGX-H100-rack, racks: 2, model: llama2-70b, tensor_parallel: 8, cooling: direct-to-chip, liquid_fraction: 80 % }
        cooling:
          facility_supply: 14 C
          facility_delta_t: 8 K
          chillers:
            - { name: chiller-1, type: electric, curve: ElectricEIRChiller York YS 1758kW/5.84COP/Valve, capacity: 150 kW }
            - { name: chiller-2, type: electric, curve: ElectricEIRChiller York YS 1758kW/5.84COP/Valve, capacity: 150 kW }
        workload:
          classes:
            - name: chat
              model: llama2-70b
              pools: [chat]
              prompt_tokens: { mean: 1024, cv: 0 }
              output_tokens: { mean: 256, cv: 0 }
              slo: { ttft: 2 s, tpot: 200 ms, e2e: 90 s }
              arrivals: { process: poisson, rate: 2 /s }
            - name: fast
              model: llama2-70b
              pools: [fast]
              prompt_tokens: { mean: 512, cv: 0 }
              output_tokens: { mean: 128, cv: 0 }
              slo: { ttft: 1 ms, tpot: 200 ms, e2e: 90 s }
              arrivals: { process: poisson, rate: 1 /s }
        economics:
          price: 2 USD/Mtok
        run:
          horizon: 1 d
          fidelity: fluid
          seed: 42
        """;

    [Fact]
    public void TwoClassHallDay_PerClassFiguresWorkedByHand()
    {
        string dir = Directory.CreateTempSubdirectory("dctwin-classes").FullName;
        string path = Path.Combine(dir, "two-classes.yaml");
        File.WriteAllText(path, Yaml);
        try
        {
            var (folder, s) = Repository.Run(path);
            var chat = s["classes"]!["chat"]!;
            var fast = s["classes"]!["fast"]!;

            // The backlog left at midnight is under a second of arrivals: 0.01 % of the day.
            Assert.Equal(44_236_800, (double)chat["output_tokens"]!, 44_236_800 * 1e-4);
            Assert.Equal(11_059_200, (double)fast["output_tokens"]!, 11_059_200 * 1e-4);
            Assert.Equal(88.47, (double)chat["revenue"]!, 0.02);
            Assert.Equal(0, (double)chat["revenue_at_risk"]!, 0.01);
            Assert.Equal(22.12, (double)fast["revenue"]!, 0.02);
            Assert.Equal((double)fast["revenue"]!, (double)fast["revenue_at_risk"]!, 0.01);

            foreach (var c in new[] { chat, fast })
            {
                double facilityJPerToken = (double)c["energy_facility_per_output_token_j"]!;
                // A flat tariff with no demand charge and no gas: cost is energy times price.
                Assert.Equal(facilityJPerToken * 1e6 / 3.6e6 * 0.10, (double)c["cost_per_million_tokens"]!, 1e-3);
                // The facility carries the IT energy and then some (cooling, losses, other).
                Assert.True(facilityJPerToken > 1.05 * (double)c["energy_per_output_token_j"]!);
            }

            // The classes carry the hall's whole bill between them (every rack serves a class).
            Assert.Equal((double)s["cost"]!, (double)chat["cost"]! + (double)fast["cost"]!, 0.05);
            Assert.Equal((double)s["co2_kg"]!, (double)chat["co2_kg"]! + (double)fast["co2_kg"]!, 0.05);
            Assert.Equal("USD", s["units"]!["classes.cost_per_million_tokens"]!.GetValue<string>());
            Directory.Delete(folder, recursive: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
