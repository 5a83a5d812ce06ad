using System.Text.Json;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Topology;

namespace DataCenterTwin.Scenarios.Catalog;

/// <summary>A rack template: a server type and how many fit a rack.</summary>
/// <param name="Name">Template name (<c>DGX-H100-rack</c>).</param>
/// <param name="Server">Its servers.</param>
/// <param name="ServersPerRack">Servers per rack.</param>
/// <param name="Body">Its enclosure (width, depth, height); a standard 42U enclosure where the catalog gives none.</param>
public sealed record RackTemplate(string Name, ServerSpec Server, int ServersPerRack, RackBody? Body = null)
{
    /// <summary>The enclosure the hall lays out.</summary>
    public RackBody Size => Body ?? RackBody.Standard(Name);
}

/// <summary>A served model's memory footprint.</summary>
/// <param name="Name">Model name (<c>llama2-70b</c>).</param>
/// <param name="WeightBytes">Weights, bytes (split over a replica's accelerators).</param>
/// <param name="KvBytesPerToken">KV-cache bytes per token of context.</param>
public sealed record LlmSpec(string Name, double WeightBytes, double KvBytesPerToken);

/// <summary>A serving model of the catalog with its key.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Accelerator">Accelerator name.</param>
/// <param name="TensorParallel">Accelerators per replica.</param>
/// <param name="MaxBatch">Largest batch the profile covers.</param>
/// <param name="Serving">Iteration times.</param>
public sealed record ServingEntry(string Model, string Accelerator, int TensorParallel, int MaxBatch, ServingModel Serving);

/// <summary>
/// The hardware catalog (assets/hardware/catalog.json): accelerators, servers, rack templates,
/// models and serving profiles. Every number in the file is <c>{ "value": …, "source": "…" }</c>;
/// a missing source, a wrong type or an unknown reference is an error naming its path in the file
/// (<c>accelerators[2].tdpW</c>), and every error is reported at once.
/// </summary>
public sealed class HardwareCatalog
{
    private readonly Dictionary<(string, string, int), ServingEntry> _serving;

    private HardwareCatalog(
        Dictionary<string, AcceleratorSpec> accelerators,
        Dictionary<string, ServerSpec> servers,
        Dictionary<string, RackTemplate> racks,
        Dictionary<string, LlmSpec> models,
        Dictionary<(string, string, int), ServingEntry> serving,
        Dictionary<string, string> sources)
    {
        Accelerators = accelerators;
        Servers = servers;
        Racks = racks;
        Models = models;
        _serving = serving;
        Sources = sources;
    }

    /// <summary>Accelerators by name.</summary>
    public IReadOnlyDictionary<string, AcceleratorSpec> Accelerators { get; }

    /// <summary>Servers by name.</summary>
    public IReadOnlyDictionary<string, ServerSpec> Servers { get; }

    /// <summary>Rack templates by name.</summary>
    public IReadOnlyDictionary<string, RackTemplate> Racks { get; }

    /// <summary>Models by name.</summary>
    public IReadOnlyDictionary<string, LlmSpec> Models { get; }

    /// <summary>Serving profiles in file order.</summary>
    public IReadOnlyList<ServingEntry> ServingEntries => [.. _serving.Values];

    /// <summary>The serving-profile files the catalog read, full paths, in reading order.</summary>
    public IReadOnlyList<string> ProfileFiles { get; private init; } = [];

    /// <summary>The source of every number, by its path in the file (<c>accelerators[0].tdpW</c>).</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>Loads the catalog shipped in the repository's assets folder.</summary>
    /// <exception cref="InvalidDataException">The catalog is invalid.</exception>
    public static HardwareCatalog LoadDefault() => Load(AssetPaths.Asset(Path.Combine("hardware", "catalog.json")));

    /// <summary>Loads a catalog file; CSV paths in it are relative to the assets folder above it (its parent's parent).</summary>
    /// <exception cref="InvalidDataException">The catalog is invalid.</exception>
    public static HardwareCatalog Load(string path)
    {
        string assets = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
        return Parse(File.ReadAllText(path), assets, Path.GetFileName(path));
    }

    /// <summary>Parses catalog JSON; <paramref name="name"/> prefixes error messages.</summary>
    /// <exception cref="InvalidDataException">Every error found, one per line, each with its path.</exception>
    public static HardwareCatalog Parse(string json, string assetsDirectory, string name = "catalog.json")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            var r = new Reader(name);
            var profileFiles = new List<string>();
            var root = doc.RootElement;
            var accelerators = new Dictionary<string, AcceleratorSpec>(StringComparer.Ordinal);
            foreach (var (e, p) in r.Array(root, "accelerators", ""))
            {
                string n = r.Text(e, "name", p);
                var a = new AcceleratorSpec(n, r.Number(e, "tdpW", p), r.Number(e, "idleW", p), r.Number(e, "prefillW", p), r.Number(e, "decodeW", p), r.Number(e, "memoryBytes", p),
                    ReadPowerModel(r, e, p), e.TryGetProperty("ridgeFlopPerByte", out _) ? r.Number(e, "ridgeFlopPerByte", p) : 0);
                if (a.PowerModel.FloorW < a.IdleW || a.PowerModel.SaturationW < a.PowerModel.FloorW || !(a.PowerModel.HalfSaturationTokens > 0))
                {
                    r.Error(p + ".power", "expected idleW ≤ floorW ≤ saturationW and halfSaturationTokens > 0");
                }

                if (a.IdleW > a.PrefillW || a.IdleW > a.DecodeW || a.PrefillW > a.TdpW * 1.0001 || a.DecodeW > a.TdpW * 1.0001)
                {
                    r.Error(p, "expected idleW ≤ decodeW, prefillW ≤ tdpW");
                }

                r.Add(accelerators, n, a, p);
            }

            var servers = new Dictionary<string, ServerSpec>(StringComparer.Ordinal);
            foreach (var (e, p) in r.Array(root, "servers", ""))
            {
                string n = r.Text(e, "name", p);
                var acc = r.Ref(accelerators, e, "accelerator", p);
                if (acc is not null)
                {
                    r.Add(servers, n, new ServerSpec(n, acc, r.Count(e, "acceleratorsPerServer", p), r.Number(e, "hostPowerW", p)), p);
                }
            }

            var racks = new Dictionary<string, RackTemplate>(StringComparer.Ordinal);
            foreach (var (e, p) in r.Array(root, "racks", ""))
            {
                string n = r.Text(e, "name", p);
                var server = r.Ref(servers, e, "server", p);
                if (server is not null)
                {
                    // The enclosure is optional (older catalogs have none); given, all three sizes are.
                    RackBody? body = e.TryGetProperty("widthM", out _) || e.TryGetProperty("depthM", out _) || e.TryGetProperty("heightM", out _)
                        ? new RackBody(n, r.Number(e, "widthM", p), r.Number(e, "depthM", p), r.Number(e, "heightM", p))
                        : null;
                    if (body is not null && (body.WidthM is < 0.3 or > 2 || body.DepthM is < 0.3 or > 3 || body.HeightM is < 0.5 or > 4))
                    {
                        r.Error(p, $"expected a rack enclosure between 0.3 × 0.3 × 0.5 m and 2 × 3 × 4 m, got {body.WidthM} × {body.DepthM} × {body.HeightM} m");
                    }

                    r.Add(racks, n, new RackTemplate(n, server, r.Count(e, "serversPerRack", p), body), p);
                }
            }

            var models = new Dictionary<string, LlmSpec>(StringComparer.Ordinal);
            foreach (var (e, p) in r.Array(root, "models", ""))
            {
                string n = r.Text(e, "name", p);
                r.Add(models, n, new LlmSpec(n, r.Number(e, "weightBytes", p), r.Number(e, "kvBytesPerToken", p)), p);
            }

            var serving = new Dictionary<(string, string, int), ServingEntry>();
            foreach (var (e, p) in r.Array(root, "serving", ""))
            {
                var model = r.Ref(models, e, "model", p);
                var acc = r.Ref(accelerators, e, "accelerator", p);
                int tp = r.Count(e, "tensorParallel", p);
                int maxBatch = r.Count(e, "maxBatch", p);
                if (model is null || acc is null || tp < 1)
                {
                    continue;
                }

                ServingModel? sm = null;
                if (e.TryGetProperty("profile", out var prof))
                {
                    string csv = r.Text(prof, "csv", p + ".profile");
                    string file = Path.Combine(assetsDirectory, csv);
                    if (!profileFiles.Contains(file))
                    {
                        profileFiles.Add(file);
                    }

                    try
                    {
                        sm = new ServingModel(SplitwisePerfCsv.Read(file, r.Text(prof, "model", p + ".profile"), r.Text(prof, "hardware", p + ".profile"), tp, acc.Name));
                    }
                    catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
                    {
                        r.Error(p + ".profile.csv", ex.Message);
                    }
                }
                else if (e.TryGetProperty("derivedFrom", out var der))
                {
                    string dp = p + ".derivedFrom";
                    string from = r.Text(der, "accelerator", dp);
                    int fromTp = r.Count(der, "tensorParallel", dp);
                    double pre = r.Number(der, "prefillSpeedUp", dp), dec = r.Number(der, "decodeSpeedUp", dp);
                    if (serving.TryGetValue((model.Name, from, fromTp), out var baseEntry) && pre > 0 && dec > 0)
                    {
                        sm = baseEntry.Serving.Scaled(acc.Name, pre, dec, $"derived from {from} (prefill ÷{pre}, decode ÷{dec})");
                    }
                    else
                    {
                        r.Error(dp + ".accelerator", $"no earlier serving entry for '{model.Name}' on '{from}' at tensor parallel {fromTp}, or a speed-up that is not positive");
                    }
                }
                else
                {
                    r.Error(p, "expected 'profile' (a measured CSV) or 'derivedFrom' (a scaled measured profile)");
                }

                if (sm is not null && !serving.TryAdd((model.Name, acc.Name, tp), new ServingEntry(model.Name, acc.Name, tp, maxBatch, sm)))
                {
                    r.Error(p, $"a second serving entry for '{model.Name}' on '{acc.Name}' at tensor parallel {tp}");
                }
            }

            if (r.Errors.Count > 0)
            {
                throw new InvalidDataException(string.Join('\n', r.Errors));
            }

            return new HardwareCatalog(accelerators, servers, racks, models, serving, r.Sources) { ProfileFiles = profileFiles };
        }
    }

    /// <summary>The serving model of (model, accelerator, tensor parallel).</summary>
    /// <exception cref="KeyNotFoundException">The catalog has no such entry.</exception>
    public ServingEntry Serving(string model, string accelerator, int tensorParallel) =>
        _serving.TryGetValue((model, accelerator, tensorParallel), out var e) ? e
            : throw new KeyNotFoundException($"The catalog has no serving profile for '{model}' on '{accelerator}' at tensor parallel {tensorParallel}.");

    /// <summary>
    /// A pool of <paramref name="rackCount"/> racks of template <paramref name="rack"/> serving
    /// <paramref name="model"/> at <paramref name="tensorParallel"/>: the serving model from the
    /// catalog, max batch from the profile, KV-cache tokens from the replica's memory left after the
    /// weights (times <paramref name="memoryFraction"/>, the share a serving engine gives the cache).
    /// </summary>
    public PoolSpec Pool(string name, string rack, int firstRack, int rackCount, string model, int tensorParallel,
        DispatchKind dispatch = DispatchKind.LeastWork, AdmissionSpec? admission = null, KvFullPolicy onKvFull = KvFullPolicy.Queue, double memoryFraction = 0.9)
    {
        var template = Racks[rack];
        var entry = Serving(model, template.Server.Accelerator.Name, tensorParallel);
        var llm = Models[model];
        long kv = BatchingSpec.KvTokens(template.Server.Accelerator.MemoryBytes * tensorParallel * memoryFraction, llm.WeightBytes, llm.KvBytesPerToken);
        return new PoolSpec(name, template.Server, template.ServersPerRack, firstRack, rackCount, model, entry.Serving, tensorParallel,
            new BatchingSpec(entry.MaxBatch, 16_384, kv, onKvFull), admission ?? AdmissionSpec.AcceptAll, dispatch);
    }

    // The busy-power fit is optional: an accelerator without one gets the H100 fit scaled by its TDP.
    private static AcceleratorPowerModel? ReadPowerModel(Reader r, JsonElement e, string p)
    {
        if (!e.TryGetProperty("power", out var pm))
        {
            return null;
        }

        string pp = p + ".power";
        double floor = r.Number(pm, "floorW", pp), saturation = r.Number(pm, "saturationW", pp), half = r.Number(pm, "halfSaturationTokens", pp);
        return new AcceleratorPowerModel(floor, saturation, half, r.Sources.GetValueOrDefault(pp + ".floorW", ""));
    }

    private sealed class Reader(string file)
    {
        public List<string> Errors { get; } = [];

        public Dictionary<string, string> Sources { get; } = new(StringComparer.Ordinal);

        public void Error(string path, string message) => Errors.Add($"{file}: {path}: {message}");

        public IEnumerable<(JsonElement, string)> Array(JsonElement obj, string key, string path)
        {
            string p = path.Length == 0 ? key : $"{path}.{key}";
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(key, out var a) || a.ValueKind != JsonValueKind.Array)
            {
                Error(p, "expected an array");
                yield break;
            }

            int i = 0;
            foreach (var e in a.EnumerateArray())
            {
                string ep = $"{p}[{i++}]";
                if (e.ValueKind != JsonValueKind.Object)
                {
                    Error(ep, "expected an object");
                    continue;
                }

                yield return (e, ep);
            }
        }

        public string Text(JsonElement obj, string key, string path)
        {
            if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
            {
                return v.GetString()!;
            }

            Error($"{path}.{key}", "expected a non-empty string");
            return "";
        }

        public double Number(JsonElement obj, string key, string path)
        {
            string p = $"{path}.{key}";
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(key, out var n))
            {
                Error(p, "missing; expected { \"value\": number, \"source\": \"…\" }");
                return 0;
            }

            if (n.ValueKind != JsonValueKind.Object || !n.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number
                || !n.TryGetProperty("source", out var s) || s.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(s.GetString()))
            {
                Error(p, $"expected {{ \"value\": number, \"source\": \"…\" }}, got {Abbrev(n.GetRawText())}");
                return 0;
            }

            double value = v.GetDouble();
            if (!(value >= 0) || double.IsInfinity(value))
            {
                Error(p, $"expected a non-negative finite number, got {value}");
                return 0;
            }

            Sources[p] = s.GetString()!;
            return value;
        }

        public int Count(JsonElement obj, string key, string path)
        {
            double v = Number(obj, key, path);
            if (v != Math.Floor(v) || v < 1 || v > int.MaxValue)
            {
                Error($"{path}.{key}", $"expected a whole number of at least 1, got {v}");
                return 0;
            }

            return (int)v;
        }

        public T? Ref<T>(Dictionary<string, T> known, JsonElement obj, string key, string path)
            where T : class
        {
            string n = Text(obj, key, path);
            if (n.Length > 0 && !known.TryGetValue(n, out var v))
            {
                Error($"{path}.{key}", $"unknown '{n}'; expected one of: {string.Join(", ", known.Keys)}");
                return null;
            }

            return n.Length == 0 ? null : known[n];
        }

        public void Add<T>(Dictionary<string, T> into, string name, T value, string path)
        {
            if (name.Length > 0 && !into.TryAdd(name, value))
            {
                Error($"{path}.name", $"'{name}' is defined twice");
            }
        }

        private static string Abbrev(string s) => s.Length > 40 ? s[..40] + "…" : s;
    }
}
