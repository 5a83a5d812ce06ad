using System.Security.Cryptography;
using System.Text;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Cooling;
using DataCenterTwin.Scenarios.Sections;
using DataCenterTwin.Traces.Weather;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios;

/// <summary>
/// Loads and validates a scenario file: every error found (file, line, column, path, what was
/// expected) is reported together, and no spec is returned unless there are none.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads a scenario file; <paramref name="assetsDirectory"/> is where <c>assets/…</c> paths fall back to.</summary>
    public static (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) Load(string path, string? assetsDirectory,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.Load(path, errors);
        if (root is not null && overrides is not null)
        {
            Override(root, overrides, errors);
        }

        string full = Path.GetFullPath(path);
        return Build(root, errors, full, Path.GetDirectoryName(full) ?? ".", assetsDirectory);
    }

    /// <summary>Loads scenario text as if it were the file <paramref name="file"/>.</summary>
    public static (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) LoadText(string text, string file, string? assetsDirectory)
        => LoadText(text, file, assetsDirectory, null);

    /// <summary>Loads scenario text as if it were the file <paramref name="file"/>, with <paramref name="overrides"/> applied (a sweep's worker on a resolved base it was sent).</summary>
    public static (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) LoadText(string text, string file, string? assetsDirectory,
        IReadOnlyDictionary<string, string>? overrides)
    {
        var errors = new List<ScenarioError>();
        var root = ScenarioDocument.LoadText(text, file, errors);
        if (root is not null && overrides is not null)
        {
            Override(root, overrides, errors);
        }

        return Build(root, errors, file, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", assetsDirectory);
    }

    private static (ScenarioSpec?, IReadOnlyList<ScenarioError>) Build(YamlMap? root, List<ScenarioError> errors, string file, string baseDirectory, string? assetsDirectory)
    {
        if (root is null)
        {
            return (null, errors);
        }

        var context = new ScenarioContext(baseDirectory, assetsDirectory);
        context.Errors.AddRange(errors);
        var r = new MapReader(root, "", context);
        string name = r.Text("name", Path.GetFileNameWithoutExtension(file));
        string description = r.Text("description", "");

        var run = RunSection.Read(r.Child("run"));
        var hallMap = r.Child("hall", required: true);
        var catalog = hallMap is null ? null : LoadCatalog(hallMap);
        var hall = hallMap is null ? null : HallSection.Read(hallMap, catalog);
        var layout = LayoutSection.Read(r, hall);
        var site = r.Child("site", required: true) is { } siteMap ? SiteSection.Read(siteMap, hall?.DesignPowerW ?? 1e6) : null;
        var weather = site is null ? null : LoadWeather(r, site.WeatherPaths);
        var equipment = new List<string>();
        var cooling = CoolingSection.Read(r.Child("cooling", required: true), ref hall, LoadChillers(r), equipment, out var sizingDraft);
        var workload = WorkloadSection.Read(r.Child("workload", required: true), hall, run.Horizon.TotalSeconds);
        PlantSizingResult? sized = null;
        if (sizingDraft is not null && cooling is not null && hall is not null && context.Errors.Count == 0)
        {
            // cooling.sizing: the plant waits for the workload whose heat it is sized for.
            sized = SizeOnce(context, sizingDraft, hall, workload, run);
            cooling = sizingDraft.Resize(sized.UnitCapacityW);
        }

        var control = ControlSection.Read(r.Child("control"));
        var economics = EconomicsSection.Read(r);
        var targets = new HashSet<string>(equipment, StringComparer.Ordinal);
        for (int i = 0; i < (hall?.Racks.Count ?? 0); i++)
        {
            targets.Add($"rack-{i}");
        }

        var events = site is null ? [] : EventsSection.Read(r, site.Start, targets);
        var controls = site is null ? [] : ControlsSection.Read(r, site.Start);
        List<Model.Compute.RackInstallation> installations = [];
        if (site is not null)
        {
            var growth = GrowthSection.Read(r, site.Start, run.Horizon, [.. workload.Classes.Select(c => c.Class.Name)], hall?.Pools ?? [], out installations);
            controls = [.. controls.Concat(growth).OrderBy(c => c.At)];
        }

        r.Done();

        if (context.Errors.Count > 0 || site is null || hall is null || cooling is null || weather is null || economics is null)
        {
            return (null, context.Errors);
        }

        string resolved = ResolvedScenarioWriter.Write(context.Resolved, $"{name}: resolved scenario (every default filled in, SI values in readable units)")
            + FilesFooter(context.Files);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolved)));
        return (new ScenarioSpec(name, description, file, resolved, hash, site, run, control, events, weather, hall, cooling, workload, equipment, layout)
        {
            Economics = economics,
            Controls = controls,
            Sizing = sized,
            RackInstallations = installations,
        },
            context.Errors);
    }

    // A p99-load rule runs the workload through a design year (a second or two): tests and sweeps load
    // the same scenario many times, so the result is kept per text read so far (every value and file
    // digest that reached the hall, the workload and the run).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PlantSizingResult> s_sized = new(StringComparer.Ordinal);

    private static PlantSizingResult SizeOnce(ScenarioContext context, CoolingSizingDraft draft, HallSpec hall, WorkloadSpec workload, RunSpec run)
    {
        if (draft.Rule.Basis == SizingBasis.Nameplate)
        {
            return PlantSizing.Size(draft.Rule, draft.Units, hall, workload, run);
        }

        string key = string.Join("\n", context.Resolved.Select(r => r.Path + "=" + r.Value)) + "\n" + string.Join("\n", context.Files.Select(f => f.Key + "=" + f.Sha256));
        if (s_sized.Count > 64)
        {
            s_sized.Clear();
        }

        return s_sized.GetOrAdd(key, _ => PlantSizing.Size(draft.Rule, draft.Units, hall, workload, run));
    }

    // Every file the run read, where it was found and the SHA-256 of its contents: comments, so the
    // file reruns as it is, and part of the text the hash is taken over, so a changed weather file
    // or catalog changes the hash as a changed value does.
    private static string FilesFooter(IReadOnlyList<ScenarioFile> files)
    {
        var sb = new StringBuilder("# files read (place: path: where it was found: SHA-256 of the contents)\n");
        foreach (var f in files)
        {
            sb.Append("#   ").Append(f.Key).Append(": ").Append(f.RecordedPath).Append(": ").Append(f.OriginText).Append(": ").Append(f.Sha256).Append('\n');
        }

        return sb.ToString();
    }

    // Overrides ("run.horizon" = "2 d", "cooling.chillers[1].capacity" = "1.2 MW") replace or add
    // scalars before validation, so they are checked like the file's own values and appear in the
    // resolved scenario; a list index names an item the file already has.
    private static void Override(YamlMap root, IReadOnlyDictionary<string, string> overrides, List<ScenarioError> errors)
    {
        var origin = new SourceSpan("override", 1, 1);
        foreach (var (path, value) in overrides)
        {
            var keys = path.Split('.');
            YamlMap map = root;
            for (int i = 0; i < keys.Length; i++)
            {
                var (key, index) = Segment(keys[i]);
                bool last = i == keys.Length - 1;
                if (key.Length == 0 || index < -1)
                {
                    errors.Add(new ScenarioError(origin, path, $"\"{keys[i]}\" is not a key or a key with a list index such as \"chillers[1]\""));
                    break;
                }

                if (index < 0)
                {
                    if (last)
                    {
                        map.Set(new YamlScalar(key, false, origin), new YamlScalar(value, true, origin));
                    }
                    else if (map[key] is YamlMap child)
                    {
                        map = child;
                    }
                    else
                    {
                        var created = new YamlMap(origin);
                        map.Set(new YamlScalar(key, false, origin), created);
                        map = created;
                    }

                    continue;
                }

                if (map[key] is not YamlList list || index >= list.Items.Count)
                {
                    int count = map[key] is YamlList l ? l.Items.Count : 0;
                    errors.Add(new ScenarioError(origin, path, $"{string.Join('.', keys[..i].Append(key))} has {count} item{(count == 1 ? "" : "s")}; there is no [{index}]"));
                    break;
                }

                if (last)
                {
                    list.Items[index] = new YamlScalar(value, true, origin);
                }
                else if (list.Items[index] is YamlMap item)
                {
                    map = item;
                }
                else
                {
                    errors.Add(new ScenarioError(origin, path, $"{keys[i]} is {list.Items[index].Describe()}, not a mapping"));
                    break;
                }
            }
        }
    }

    // "pools[2]" → ("pools", 2); "horizon" → ("horizon", −1); a malformed index → −2.
    private static (string Key, int Index) Segment(string segment)
    {
        int open = segment.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return (segment, -1);
        }

        return segment.EndsWith(']') && int.TryParse(segment.AsSpan(open + 1, segment.Length - open - 2), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int index)
            ? (segment[..open], index)
            : (segment[..open], -2);
    }

    private const string DefaultCatalog = "assets/hardware/catalog.json";

    private static HardwareCatalog? LoadCatalog(MapReader hall)
    {
        string path;
        if (hall.Has("catalog"))
        {
            path = hall.FilePath("catalog") ?? "";
        }
        else
        {
            var (located, origin) = hall.Context.Locate(DefaultCatalog);
            path = located;
            hall.Context.NoteFile("hall.catalog (default)", DefaultCatalog, located, origin);
        }

        if (path.Length == 0)
        {
            return null;
        }

        try
        {
            var catalog = FileMemo.Get("catalog", path, HardwareCatalog.Load);
            foreach (string profile in catalog.ProfileFiles)
            {
                NoteAsset(hall.Context, "hall.catalog: serving profile", profile);
            }

            return catalog;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            hall.Error("catalog", $"the hardware catalog {path} is not usable: {ex.Message}");
            return null;
        }
    }

    private static ChillerCurveLibrary? LoadChillers(MapReader root)
    {
        string folder = Path.GetDirectoryName(root.Context.Resolve("assets/chillers/chiller_reference_curves.json")) ?? "";
        try
        {
            // The library reads two files: the CSV's version is part of the key kept by the JSON's.
            var csv = new FileInfo(Path.Combine(folder, "energyplus_electric_eir_chillers.csv"));
            var library = FileMemo.Get(FormattableString.Invariant($"chillers@{(csv.Exists ? csv.Length : -1)}@{(csv.Exists ? csv.LastWriteTimeUtc.Ticks : 0)}"),
                Path.Combine(folder, "chiller_reference_curves.json"), _ => ChillerCurveLibrary.Load(folder));
            NoteAsset(root.Context, "cooling.chillers: curve library", Path.Combine(folder, "energyplus_electric_eir_chillers.csv"));
            NoteAsset(root.Context, "cooling.chillers: curve library", Path.Combine(folder, "chiller_reference_curves.json"));
            return library;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Text.Json.JsonException or FormatException)
        {
            root.Error("cooling", $"the chiller curve library in {folder} is not usable: {ex.Message}");
            return null;
        }
    }

    // A file the scenario does not name but the run reads (the catalog's serving profiles, the
    // chiller curves): noted like a named one, so its contents feed the hash.
    private static void NoteAsset(ScenarioContext context, string key, string fullPath)
    {
        string full = Path.GetFullPath(fullPath);
        string? assets = context.AssetsDirectory is null ? null : Path.GetFullPath(context.AssetsDirectory);
        if (assets is not null && full.StartsWith(assets + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            context.NoteFile(key, "assets/" + Path.GetRelativePath(assets, full).Replace('\\', '/'), full, FileOrigin.ProgramAssets);
        }
        else
        {
            context.NoteFile(key, full, full, FileOrigin.ScenarioFolder);
        }
    }

    // Several EPW files are several weather years, end to end: the series repeats after the last, so
    // simulated calendar years cycle over the files (the first year starts where site.start falls in
    // the first file).
    private static WeatherSeries? LoadWeather(MapReader root, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return null;
        }

        var years = new List<WeatherSeries>();
        for (int i = 0; i < paths.Count; i++)
        {
            string place = paths.Count == 1 ? "weather" : $"weather[{i}]";
            try
            {
                years.Add(FileMemo.Get("weather", paths[i], p => EpwReader.Read(p).ToSeries()));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
            {
                root.Error("site", $"{place}: {ex.Message}");
                return null;
            }

            if (i > 0 && years[i].Hours != years[0].Hours)
            {
                root.Error("site", $"{place}: {years[i].Hours} hours against {years[0].Hours} in weather[0]: weather years cycled over several files must be equally long");
                return null;
            }
        }

        return years.Count == 1 ? years[0] : WeatherSeries.Concatenate(years);
    }
}
