using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Thermal;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>hall</c> section: pools and training blocks of catalog racks, their cooling, the air path.</summary>
internal static class HallSection
{
    public static readonly string[] DispatchNames = [.. DispatchPolicies.Names];
    private static readonly string[] CoolingNames = ["direct-to-chip", "rear-door", "air"];

    public static HallSpec? Read(MapReader hall, HardwareCatalog? catalog)
    {
        var pools = new List<PoolSpec>();
        var training = new List<TrainingRackSpec>();
        var trainingNames = new List<string>();
        var racks = new List<RackDesign>();
        var names = new HashSet<string>(StringComparer.Ordinal);

        foreach (var p in hall.Children("pools"))
        {
            string name = p.Text("name");
            string rack = p.Text("rack", "DGX-H100-rack");
            int count = (int)p.WholeNumber("racks", min: 1, max: 100_000);
            string model = p.Text("model", "llama2-70b");
            int tp = (int)p.WholeNumber("tensor_parallel", 8, min: 1, max: 1024);
            string dispatch = p.Text("dispatch", "least-work", DispatchNames);
            var cooling = ReadCooling(p);
            string admission = p.Text("admission", "accept", "accept", "reject", "defer");
            double margin = p.Number("admission_margin", 1.0, min: 0.1, max: 100);
            double memoryFraction = p.Quantity("kv_memory_fraction", Dimension.Fraction, 0.9, min: 0.05, max: 1);
            var scaling = ReadScaling(p.Child("scaling"));
            // Read only where given: the resolved scenario of a pool without groups stays as it was.
            int groups = p.Has("dispatch_groups") ? (int)p.WholeNumber("dispatch_groups", min: 1, max: 100_000) : 1;
            p.Done();
            if (groups > count)
            {
                p.Error("dispatch_groups", $"pool \"{name}\" has {count} racks, too few for {groups} dispatch groups of whole racks");
            }

            if (!names.Add(name))
            {
                p.Error("name", $"a pool or training block named \"{name}\" already exists");
            }

            if (catalog is null || !Known(p, "rack", rack, catalog.Racks.Keys))
            {
                continue;
            }

            var template = catalog.Racks[rack];
            if (!catalog.Models.ContainsKey(model))
            {
                p.Error("model", $"no model \"{model}\" in the hardware catalog; known: {string.Join(", ", catalog.Models.Keys.Order(StringComparer.Ordinal))}");
                continue;
            }

            if (!catalog.ServingEntries.Any(e => e.Model == model && e.Accelerator == template.Server.Accelerator.Name && e.TensorParallel == tp))
            {
                var options = catalog.ServingEntries.Where(e => e.Model == model).Select(e => $"{e.Accelerator} × {e.TensorParallel}");
                p.Error("tensor_parallel", $"the catalog has no serving profile for {model} on {template.Server.Accelerator.Name} at tensor parallel {tp}; it has {string.Join(", ", options)}");
                continue;
            }

            var mode = admission switch { "reject" => AdmissionMode.Reject, "defer" => AdmissionMode.Defer, _ => AdmissionMode.AcceptAll };
            var admissionSpec = mode == AdmissionMode.AcceptAll ? AdmissionSpec.AcceptAll : new AdmissionSpec(mode, margin, Kernel.SimTime.FromMilliseconds(200), 5);
            pools.Add(catalog.Pool(name, rack, racks.Count, count, model, tp, Dispatch(dispatch), admissionSpec, memoryFraction: memoryFraction) with { Scaling = scaling, Groups = Math.Min(groups, count) });
            AddRacks(racks, template, name, count, cooling);
        }

        foreach (var t in hall.Children("training"))
        {
            string name = t.Text("name");
            string rack = t.Text("rack", "GB200-NVL72");
            int count = (int)t.WholeNumber("racks", min: 1, max: 100_000);
            var cooling = ReadCooling(t);
            t.Done();
            if (!names.Add(name))
            {
                t.Error("name", $"a pool or training block named \"{name}\" already exists");
            }

            if (catalog is null || !Known(t, "rack", rack, catalog.Racks.Keys))
            {
                continue;
            }

            var template = catalog.Racks[rack];
            training.Add(new TrainingRackSpec(template.Server, template.ServersPerRack, racks.Count, count));
            trainingNames.Add(name);
            AddRacks(racks, template, name, count, cooling);
        }

        if (racks.Count == 0 && hall.Context.Errors.Count == 0)
        {
            hall.Error("pools", "the hall has no racks: expected at least one pool or training block");
        }

        ReadRacks(hall, racks);

        var air = new AirPathSpec(22);
        if (hall.Child("air") is { } a)
        {
            bool rackAirflowGiven = a.Has("rack_airflow");
            air = new AirPathSpec(
                a.Quantity("supply_air", Dimension.Temperature, 22, min: 5, max: 35),
                a.Quantity("rack_air_capacity", Dimension.Power, 35_000, min: 1_000),
                a.Quantity("recirculation", Dimension.Fraction, 0.1, min: 0, max: 0.9),
                a.Quantity("overload_rise_per_kw", Dimension.TemperatureDifference, 1.0, min: 0, max: 20),
                // Read only when given: the resolved scenario must not turn the default into a given value.
                rackAirflowGiven ? a.Quantity("rack_airflow", Dimension.VolumeFlow, 2.4, min: 0.05, max: 50) : 2.4);
            if (rackAirflowGiven && air.AirPathCapacityPerRackW > 0)
            {
                // The older key: the servers' airflow at the rack's air-path capacity, which fixes their
                // airflow per watt; the airflow still follows the heat.
                air = air with { ServerAirflowM3PerSPerW = air.RackAirflowM3PerS / air.AirPathCapacityPerRackW };
            }

            a.Done();
        }

        var accel = new AcceleratorThermalSpec(ThrottleReducesItPower: false);
        if (hall.Child("accelerators") is { } t2)
        {
            accel = new AcceleratorThermalSpec(
                t2.Quantity("time_constant", Dimension.Time, 30, min: 0.1, max: 3600),
                t2.Quantity("rise_air", Dimension.TemperatureDifference, 45, min: 1, max: 100),
                t2.Quantity("rise_liquid", Dimension.TemperatureDifference, 30, min: 1, max: 100),
                t2.Quantity("limit", Dimension.Temperature, 85, min: 40, max: 120),
                t2.Number("throttle_gain_per_k", 0.05, min: 0.001, max: 1),
                t2.Quantity("min_speed_factor", Dimension.Fraction, 0.3, min: 0.05, max: 1),
                ThrottleReducesItPower: false);
            t2.Done();
        }

        hall.Accept("catalog");
        hall.Done();
        return racks.Count == 0 ? null : new HallSpec(pools, training, trainingNames, racks, air, accel);
    }

    // scaling: { policy: slo-driven, target_utilisation: 70 % | target_ttft: 500 ms, scale_down_delay: 5 min,
    // wake_up: 60 s, parked: idle | powered-down, parked_power: 20 W, min_replicas: 1, interval: 60 s }. Defaults and
    // their sources: assets/hardware/fleet-scaling.md.
    private static ScalingSpec? ReadScaling(MapReader? m)
    {
        if (m is null)
        {
            return null;
        }

        string policy = m.Text("policy", "always-on", "always-on", "slo-driven");
        if (policy == "always-on")
        {
            m.Done();
            return null;
        }

        // Sized on utilisation by default, or on predicted TTFT with target_ttft (one or the other: the
        // resolved scenario then holds no utilisation target, which would not load back beside it).
        double ttftS = double.NaN, target = ScalingDefaults.TargetUtilisation;
        if (m.Has("target_ttft"))
        {
            ttftS = m.Quantity("target_ttft", Dimension.Time, min: 0.001, max: 3600);
            m.Accept("target_utilisation");
            if (m.Has("target_utilisation"))
            {
                m.Error("target_ttft", "a pool is sized on target_utilisation or on target_ttft, not both");
            }
        }
        else
        {
            target = m.Quantity("target_utilisation", Dimension.Fraction, ScalingDefaults.TargetUtilisation, min: 0.05, max: 1);
        }

        double delayS = m.Quantity("scale_down_delay", Dimension.Time, ScalingDefaults.ScaleDownDelayS, min: 0, max: 86_400);
        double wakeS = m.Quantity("wake_up", Dimension.Time, ScalingDefaults.WakeUpS, min: 0, max: 86_400);
        string parked = m.Text("parked", "idle", "idle", "powered-down");
        double parkedW = double.NaN;
        if (parked == "powered-down")
        {
            parkedW = m.Quantity("parked_power", Dimension.Power, min: 0, max: 5_000);
        }
        else
        {
            m.Accept("parked_power");
            if (m.Has("parked_power"))
            {
                m.Error("parked_power", "a parked replica at idle draws its accelerators' idle power; give parked_power only with parked: powered-down");
            }
        }

        int minReplicas = (int)m.WholeNumber("min_replicas", ScalingDefaults.MinReplicas, min: 0, max: 1_000_000);
        double intervalS = m.Quantity("interval", Dimension.Time, ScalingDefaults.IntervalS, min: 1, max: 86_400);
        m.Done();
        return new ScalingSpec(ScalingMode.SloDriven, target, delayS, wakeS, parkedW, minReplicas, intervalS) { TargetTtftS = ttftS };
    }

    // hall.racks: { rack-3: { cooling: direct-to-chip, liquid_fraction: 70 %, airflow: 2.2 m3/s } }: one rack's
    // thermal parameters where they differ from its pool's (a rack measured apart, a calibration
    // fitting one rack: the override path hall.racks.rack-3.liquid_fraction). Keys by the racks'
    // names (the events' and traces' rack-N), so a path names the same rack whatever the file lists.
    private static void ReadRacks(MapReader hall, List<RackDesign> racks)
    {
        if (hall.Child("racks") is not { } perRack)
        {
            return;
        }

        foreach (var (key, _) in perRack.Map.Entries)
        {
            int index = RackIndex(key.Value);
            perRack.Accept(key.Value);
            if (index < 0 || index >= racks.Count)
            {
                perRack.Error(key.Value, racks.Count == 0 ? $"no rack named \"{key.Value}\": the hall has no racks"
                    : $"no rack named \"{key.Value}\": the hall's racks are rack-0 to rack-{racks.Count - 1}");
                continue;
            }

            if (perRack.Child(key.Value) is not { } m)
            {
                continue;
            }

            var rack = racks[index];
            var (type, fraction) = ReadCooling(m, rack.Cooling, rack.LiquidFraction);
            // The servers' airflow at design power, m³/s; read only when given, so the resolved
            // scenario does not turn the air path's airflow per watt into a given value.
            double airflow = m.Has("airflow") ? m.Quantity("airflow", Dimension.VolumeFlow, min: 0.01, max: 50) : double.NaN;
            m.Done();
            racks[index] = rack with { Thermal = rack.Thermal with { Cooling = type, LiquidFraction = fraction, DesignAirflowM3PerS = airflow } };
        }

        perRack.Done();
    }

    // "rack-12" → 12; anything else (no prefix, a sign, a leading zero, not a number) → −1.
    private static int RackIndex(string name) =>
        name.StartsWith("rack-", StringComparison.Ordinal) && name.Length > 5 && (name[5] != '0' || name.Length == 6)
        && int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            ? index : -1;

    private static (RackCoolingType Type, double Fraction) ReadCooling(MapReader m) => ReadCooling(m, null, double.NaN);

    // A rack's own cooling defaults to its pool's; its liquid fraction to its pool's when the type is
    // the pool's, else to the type's own default.
    private static (RackCoolingType Type, double Fraction) ReadCooling(MapReader m, RackCoolingType? poolType, double poolFraction)
    {
        string given = poolType switch { RackCoolingType.Air => "air", RackCoolingType.RearDoor => "rear-door", _ => "direct-to-chip" };
        string cooling = m.Text("cooling", given, CoolingNames);
        var type = cooling switch { "air" => RackCoolingType.Air, "rear-door" => RackCoolingType.RearDoor, _ => RackCoolingType.DirectToChip };
        double fallback = type == poolType ? poolFraction : type switch { RackCoolingType.DirectToChip => 0.8, RackCoolingType.RearDoor => 0.7, _ => 0 };
        double fraction = m.Quantity("liquid_fraction", Dimension.Fraction, fallback, min: 0, max: 1);
        return (type, fraction);
    }

    private static void AddRacks(List<RackDesign> racks, RackTemplate template, string pool, int count, (RackCoolingType Type, double Fraction) cooling)
    {
        var server = template.Server;
        int serversPerRack = template.ServersPerRack;
        int accels = server.AcceleratorsPerServer * serversPerRack;
        double design = serversPerRack * ((server.AcceleratorsPerServer * server.Accelerator.TdpW) + server.HostPowerW);
        double idle = serversPerRack * ((server.AcceleratorsPerServer * server.Accelerator.IdleW) + server.HostPowerW);
        for (int i = 0; i < count; i++)
        {
            // The CDU is the cooling section's to assign (it knows how many racks a CDU serves).
            racks.Add(new RackDesign(new RackThermalSpec(cooling.Type, cooling.Fraction, -1, design, accels), idle, pool, template.Size));
        }
    }

    private static bool Known(MapReader m, string key, string value, IEnumerable<string> known)
    {
        var list = known.ToList();
        if (list.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }

        m.Error(key, $"no {key} \"{value}\" in the hardware catalog; known: {string.Join(", ", list.Order(StringComparer.Ordinal))}");
        return false;
    }

    // The reader has checked the name against DispatchPolicies.Names.
    private static DispatchKind Dispatch(string name) => DispatchPolicies.TryParse(name, out var kind) ? kind : DispatchKind.LeastWork;
}
