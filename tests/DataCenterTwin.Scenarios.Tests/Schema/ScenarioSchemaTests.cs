using System.Text.Json;
using DataCenterTwin.Scenarios.Catalog;

namespace DataCenterTwin.Scenarios.Tests.Schema;

/// <summary>
/// Keeps scenarios/schema/scenario.schema.json in step with the loader: every key of every
/// reference scenario, and every key the loader reads (the resolved scenario, defaults filled in),
/// must be in the schema, and their values must satisfy it.
/// </summary>
public class ScenarioSchemaTests
{
    private static readonly string ScenariosDirectory = Path.GetFullPath(Path.Combine(AssetPaths.FindAssetsDirectory()!, "..", "scenarios"));

    private static ScenarioSchema Schema() => ScenarioSchema.Load(Path.Combine(ScenariosDirectory, "schema", "scenario.schema.json"));

    public static TheoryData<string> ReferenceScenarios()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(ScenariosDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal))
        {
            data.Add(f);
        }

        return data;
    }

    [Fact]
    public void Schema_IsDraft202012_AndClosesEveryMapping()
    {
        var schema = Schema();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.Root.GetProperty("$schema").GetString());
        var open = new List<string>();
        Walk(schema.Root, "", open);
        Assert.Empty(open);

        static void Walk(JsonElement e, string path, List<string> open)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "object"
                    && !(e.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False))
                {
                    open.Add(path);
                }

                foreach (var p in e.EnumerateObject())
                {
                    Walk(p.Value, $"{path}/{p.Name}", open);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, $"{path}/{i++}", open);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceScenarios))]
    public void ReferenceScenario_EveryKeyAndValueIsInTheSchema(string file)
    {
        string text = File.ReadAllText(Path.Combine(ScenariosDirectory, file));
        Assert.StartsWith("# yaml-language-server: $schema=schema/scenario.schema.json", text, StringComparison.Ordinal);
        var problems = Schema().Validate(text);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(ReferenceScenarios))]
    public void ResolvedScenario_EveryKeyTheLoaderReadsIsInTheSchema(string file)
    {
        var spec = TwinBuilderTests.Load(file);
        var problems = Schema().Validate(spec.ResolvedYaml);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ResolvedKitchenSink_EveryOptionalKeyIsInTheSchema()
    {
        // Keys the reference scenarios leave out: engine chillers' and hybrids' settings, fixed
        // token counts, MMPP arrivals, fidelity windows, trace options, the power path, events of
        // every kind. The loader fills in each section's defaults, so the resolved file names them all.
        var (spec, errors) = ScenarioLoader.Load(WriteTemp(KitchenSink), AssetPaths.FindAssetsDirectory());
        Assert.True(spec is not null, string.Join("\n", errors));
        var problems = Schema().Validate(spec.ResolvedYaml);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var source = Schema().Validate(KitchenSink);
        Assert.True(source.Count == 0, string.Join("\n", source));
    }

    [Theory]
    [InlineData("hall:\n  pools:\n    - name: a\n      racks: 2\n      cooling: immersion\n", "hall.pools[0].cooling")]
    [InlineData("cooling:\n  chillers:\n    - capacity: 40 C\n", "cooling.chillers[0].capacity")]
    [InlineData("control:\n  polcy: electric-first\n", "control.polcy")]
    [InlineData("run:\n  horizon: 2\n", "run.horizon")]
    [InlineData("events:\n  - kind: heat-wave\n    at: 1 d\n    duration: 2 h\n", "events[0]")]
    public void Schema_RefusesWhatTheLoaderRefuses(string yaml, string path)
    {
        var problems = Schema().Validate("extends: quick.yaml\n" + yaml);
        Assert.Contains(problems, p => p.StartsWith(path, StringComparison.Ordinal));
    }

    internal static string WriteTemp(string text)
    {
        string dir = Path.Combine(Path.GetTempPath(), "dctwin-schema-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, $"s{Interlocked.Increment(ref s_counter)}.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static int s_counter;

    internal const string KitchenSink = """
        name: kitchen-sink
        description: every optional key
        site:
          weather: assets/weather/USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw
          start: 2026-07-01T00:00
          utc_offset: -5 h
          grid:
            capacity: 1 MW
            carbon: 362 g/kWh
          tariff:
            energy: 0.08 USD/kWh
            periods:
              - name: peak
                hours: 12-20
                weekdays_only: true
                months: [6, 7]
                price: 0.12 USD/kWh
            demand_charge: 10 USD/kW
            gas_price: 4 USD/MMBtu
            gas_emission: 181 g/kWh
          power:
            ups: { rated_power: 500 kW, energy: 100 kWh, discharge_efficiency: 95 %, recharge_power: 50 kW, no_load_loss: 1 %, proportional_loss: 2 %, square_loss: 1 % }
            pdu: { rated_power: 500 kW, no_load_loss: 0.5 %, proportional_loss: 1 %, square_loss: 0.5 % }
            generator: { capacity: 800 kW, start_delay: 10 s, efficiency: 38 % }
            other_fixed: 5 kW
            other_fraction_of_it: 3 %
        hall:
          catalog: assets/hardware/catalog.json
          pools:
            - name: chat
              rack: DGX-H100-rack
              racks: 3
              model: llama2-70b
              tensor_parallel: 8
              dispatch: power-aware
              dispatch_groups: 1
              cooling: rear-door
              liquid_fraction: 70 %
              admission: defer
              admission_margin: 1.2
              kv_memory_fraction: 85 %
              scaling: { policy: slo-driven, target_utilisation: 70 %, scale_down_delay: 5 min, wake_up: 60 s, parked: powered-down, parked_power: 1 kW, min_replicas: 1, interval: 60 s }
          training:
            - name: train
              rack: GB200-NVL72
              racks: 1
              cooling: direct-to-chip
              liquid_fraction: 85 %
          racks:
            rack-1: { cooling: direct-to-chip, liquid_fraction: 75 %, airflow: 2 m3/s }
          air: { supply_air: 22 C, rack_air_capacity: 35 kW, recirculation: 10 %, overload_rise_per_kw: 1 K, rack_airflow: 2.4 m3/s }
          accelerators: { time_constant: 30 s, rise_air: 45 K, rise_liquid: 30 K, limit: 85 C, throttle_gain_per_k: 0.05, min_speed_factor: 30 % }
        cooling:
          facility_supply: 14 C
          facility_delta_t: 8 K
          cdu: { racks_per_cdu: 4, effectiveness: 0.8 }
          crah: { capacity: 150 kW, airflow: 12 m3/s, fan_power: 7.5 kW }
          chillers:
            - name: hybrid-1
              type: hybrid
              curve: ElectricEIRChiller York YS 1758kW/5.84COP/Valve
              capacity: 150 kW
              engine: Big Chiller
              engine_start_delay: 2 min
              engine_ramp: 5 min
              min_run_time: 30 min
              max_starts_per_hour: 3
              gas_parasitic_fraction: 1 %
              engine_heat: radiator
              radiator_fan_fraction: 1 %
              min_lift: 8 K
            - name: engine-1
              type: engine
              capacity: 100 kW
          tower: { approach: 4 K, fan_power_fraction: 1 % }
          condenser_pump_power_fraction: 0.7 %
          economizer: { enabled: true, approach: 1.5 K, capacity: 100 kW }
          stage_up_plr: 0.9
          warm_water: { supply: 32 C, delta_t: 10 K, trim: none, dry_cooler: { approach: 8 K, capacity: 200 kW, fan_power: 3 kW } }
        workload:
          classes:
            - name: chat
              model: llama2-70b
              pools: [chat]
              prompt_tokens: { fixed: 512 }
              output_tokens: { mean: 256, cv: 0.8, max: 2048 }
              slo: { ttft: 2 s, tpot: 200 ms, e2e: 90 s }
              arrivals:
                process: mmpp
                rate: 2 /s
                hourly: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
                weekly: [1, 1, 1, 1, 1, 1, 1]
                burst_ratio: 4
                mean_calm: 10 min
                mean_burst: 1 min
                copies: 1
          training_jobs:
            - { name: run-1, block: train, start: 1 h, duration: 10 h, utilisation: 90 % }
        control:
          policy: price-responsive
          demand_response: true
          margin: 10 kW
          hysteresis: 5 kW
          guard: 1 %
          cap_at_grid_limit: true
          min_speed_factor: 50 %
        economics:
          catalog: assets/costs/cost-catalog.json
          discount_rate: 5 %
          energy_escalation: 1 %
          study_period: 12 y
          price: 3 USD/Mtok
        controls:
          - { at: 1 h, kind: chiller-mode, target: hybrid-1, mode: gas, source: operator }
          - { at: 2 h, kind: dispatch, target: chat, policy: round-robin }
          - { at: 3 h, kind: it-cap, target: hall, value: 100 kW }
          - { at: 4 h, kind: chiller-mode, target: hybrid-1, release: true }
        events:
          - { kind: curtailment, at: 2 h, duration: 1 h, capacity: 400 kW }
          - { kind: demand-response, at: 4 h, duration: 1 h, reduction: 50 kW }
          - { kind: outage, at: 6 h, duration: 10 min }
          - { kind: heat-wave, at: 2026-07-01T08:00, duration: 6 h, delta: 5 K }
          - { kind: failure, at: 10 h, duration: 30 min, target: hybrid-1 }
        run:
          horizon: 1 d
          fidelity: fluid
          seed: 1
          control_step: 60 s
          output_interval: 15 min
          windows:
            - { start: 12 h, duration: 1 h, fidelity: request }
          traces: { enabled: true, compression: snappy, requests: false, partition_by_month: false }
          growth:
            per_year: 5 %
            steps:
              - { at: 18 h, arrival_scale: 1.2 }
              - { at: 20 h, pool: chat, racks: 1 }
        """;
}
