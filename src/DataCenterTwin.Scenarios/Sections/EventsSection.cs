using System.Globalization;
using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Grid;
using DataCenterTwin.Scenarios.Units;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>Reads the <c>events</c> list: grid events, heat waves and failures, each with a start and a duration.</summary>
internal static class EventsSection
{
    public static List<GridEventSpec> Read(MapReader root, DateTime start, ICollection<string> equipment)
    {
        var events = new List<GridEventSpec>();
        foreach (var e in root.Children("events"))
        {
            string kindText = e.Text("kind", "outage", "curtailment", "demand-response", "outage", "heat-wave", "failure");
            var kind = kindText switch
            {
                "curtailment" => GridEventKind.Curtailment,
                "demand-response" => GridEventKind.DemandResponse,
                "heat-wave" => GridEventKind.HeatWave,
                "failure" => GridEventKind.EquipmentFailure,
                _ => GridEventKind.Outage,
            };
            var at = ReadAt(e, start);
            double duration = e.Quantity("duration", Dimension.Time, min: 1, max: RunSection.MaxHorizonS);
            double magnitudeW = 0, magnitudeK = 0;
            string target = "";
            switch (kind)
            {
                case GridEventKind.Curtailment:
                    magnitudeW = e.Quantity("capacity", Dimension.Power, min: 0);
                    break;
                case GridEventKind.DemandResponse:
                    magnitudeW = e.Quantity("reduction", Dimension.Power, min: 0);
                    break;
                case GridEventKind.HeatWave:
                    magnitudeK = e.Quantity("delta", Dimension.TemperatureDifference, min: -30, max: 30);
                    break;
                case GridEventKind.EquipmentFailure:
                    target = e.Text("target");
                    if (target.Length > 0 && !equipment.Contains(target))
                    {
                        e.Error("target", $"no equipment named \"{target}\"; known: {KnownTargets(equipment)}");
                    }

                    break;
            }

            e.Done();
            if (at is { } t && double.IsFinite(duration))
            {
                events.Add(new GridEventSpec(kind, t, SimTime.FromSeconds(duration), magnitudeW, magnitudeK, target));
            }
        }

        events.Sort((a, b) => a.Start.CompareTo(b.Start));
        return events;
    }

    // Racks, CDUs and CRAHs are numbered (rack-0 … rack-N): a big hall would list hundreds of
    // thousands of names, so numbered families of more than three are given as a range.
    private static string KnownTargets(ICollection<string> equipment)
    {
        var families = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (string name in equipment)
        {
            int dash = name.LastIndexOf('-');
            if (dash > 0 && long.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                string prefix = name[..dash];
                if (!families.TryGetValue(prefix, out var numbers))
                {
                    families[prefix] = numbers = [];
                }

                numbers.Add(n);
            }
            else
            {
                names.Add(name);
            }
        }

        foreach (var (prefix, numbers) in families)
        {
            if (numbers.Count > 3)
            {
                names.Add($"{prefix}-{numbers.Min()} to {prefix}-{numbers.Max()}");
            }
            else
            {
                names.AddRange(numbers.Select(n => $"{prefix}-{n}"));
            }
        }

        return string.Join(", ", names.Order(StringComparer.Ordinal));
    }

    // "at" is a local date-time ("2026-07-15T14:00") or an offset from the start ("14 d").
    internal static SimTime? ReadAt(MapReader e, DateTime start)
    {
        string text = e.Text("at");
        if (text.Length == 0)
        {
            return null;
        }

        if (Quantity.TryParse(text, Dimension.Time, out double offsetS, out _))
        {
            if (offsetS < 0 || offsetS > RunSection.MaxHorizonS)
            {
                e.Error("at", "expected a time after the start and within 100 years of it");
                return null;
            }

            return SimTime.FromSeconds(offsetS);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            if (local < start || (local - start).TotalSeconds > RunSection.MaxHorizonS)
            {
                e.Error("at", $"{text} is before the run starts ({start:yyyy-MM-ddTHH:mm}) or more than 100 years after");
                return null;
            }

            return SimTime.FromSeconds((local - start).TotalSeconds);
        }

        e.Error("at", $"expected a local date-time such as \"2026-07-15T14:00\" or an offset such as \"14 d\", got \"{text}\"");
        return null;
    }
}
