using System.Text.Json.Nodes;
using DataCenterTwin.Model.Twin;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Runs;

/// <summary>
/// The books of a run of several years, closed at each anniversary of the start: energy, bills, CO2,
/// tokens and SLO per year (summary.json's <c>years</c>), and the yearly bills and tokens the life-cycle
/// cost uses in place of one year scaled.
/// </summary>
/// <remarks>
/// It reads the facility ledger's running totals when the output interval that ends on an anniversary
/// closes (the ledger has booked that interval by then) and takes differences. A run resumed from a
/// checkpoint starts its books at the checkpoint, so its first year is partial.
/// </remarks>
internal sealed class YearBooks(BuiltTwin built)
{
    /// <summary>A year of the books: 365 days, as the study period counts them.</summary>
    public const double SecondsPerYear = 365 * 86400.0;

    private const double KWh = 3.6e6;
    private readonly List<Mark> _marks = [];
    private Mark _open = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private double _nextS = SecondsPerYear;
    private double _peakGridW;

    private readonly record struct Mark(double Seconds, double ItJ, double TotalJ, double CostUsd, double Co2Kg, double GasJ,
        double Output, double SloMet, double Finished, double PeakGridW, double Requests);

    /// <summary>Books an output interval; closes a year when it ends on an anniversary.</summary>
    public void OnInterval(in FacilitySample s)
    {
        _peakGridW = Math.Max(_peakGridW, s.GridW);
        if (s.StartS + s.DurationS >= _nextS - 1e-6)
        {
            var now = Take();
            _marks.Add(Minus(now, _open));
            _open = now;
            _peakGridW = 0;
            _nextS += SecondsPerYear;
        }
    }

    /// <summary>Every closed year, then what is left of the run as a partial year.</summary>
    public IReadOnlyList<(double Seconds, double CostUsd, double Output)> Years()
    {
        var rest = Minus(Take(), _open);
        var all = _marks.Select(m => (m.Seconds, m.CostUsd, m.Output)).ToList();
        if (rest.Seconds > 1)
        {
            all.Add((rest.Seconds, rest.CostUsd, rest.Output));
        }

        return all;
    }

    /// <summary>summary.json's <c>years</c>: one object a year (the last one partial when the horizon is not whole years).</summary>
    public JsonArray ToJson()
    {
        var rest = Minus(Take(), _open);
        var rows = new JsonArray();
        List<Mark> marks = rest.Seconds > 1 ? [.. _marks, rest] : _marks;
        for (int i = 0; i < marks.Count; i++)
        {
            var m = marks[i];
            rows.Add(new JsonObject
            {
                ["year"] = i + 1,
                ["days"] = Math.Round(m.Seconds / 86400, 3),
                ["pue"] = m.ItJ > 0 ? Math.Round(m.TotalJ / m.ItJ, 6) : null,
                ["energy_it_kwh"] = Math.Round(m.ItJ / KWh, 3),
                ["energy_total_kwh"] = Math.Round(m.TotalJ / KWh, 3),
                ["gas_kwh"] = Math.Round(m.GasJ / KWh, 3),
                ["cost"] = Math.Round(m.CostUsd, 2),
                ["co2_kg"] = Math.Round(m.Co2Kg, 3),
                ["peak_grid_kw"] = Math.Round(m.PeakGridW / 1e3, 3),
                ["requests_completed"] = Math.Round(m.Requests, 1),
                ["tokens_output"] = Math.Round(m.Output),
                ["slo_attainment"] = m.Finished > 0 ? Math.Round(m.SloMet / m.Finished, 6) : null,
                ["energy_per_output_token_j"] = m.Output > 0 ? Math.Round(m.TotalJ / m.Output, 4) : null,
                ["cost_per_million_tokens"] = m.Output > 0 ? Math.Round(m.CostUsd / m.Output * 1e6, 6) : null,
                ["co2_per_million_tokens_kg"] = m.Output > 0 ? Math.Round(m.Co2Kg / m.Output * 1e6, 6) : null,
            });
        }

        return rows;
    }

    /// <summary>Units of the fields of <c>years</c>.</summary>
    public static readonly (string Key, string Unit)[] Units =
    [
        ("year", "1"), ("days", "d"), ("pue", "1"), ("energy_it_kwh", "kWh"), ("energy_total_kwh", "kWh"), ("gas_kwh", "kWh"), ("cost", "USD"),
        ("co2_kg", "kg"), ("peak_grid_kw", "kW"), ("requests_completed", "1"), ("tokens_output", "1"), ("slo_attainment", "1"),
        ("energy_per_output_token_j", "J"), ("cost_per_million_tokens", "USD"), ("co2_per_million_tokens_kg", "kg"),
    ];

    private static Mark Minus(Mark a, Mark b) => new(a.Seconds - b.Seconds, a.ItJ - b.ItJ, a.TotalJ - b.TotalJ, a.CostUsd - b.CostUsd,
        a.Co2Kg - b.Co2Kg, a.GasJ - b.GasJ, a.Output - b.Output, a.SloMet - b.SloMet, a.Finished - b.Finished, a.PeakGridW, a.Requests - b.Requests);

    private Mark Take()
    {
        var l = built.Twin.Ledger;
        double output = 0, met = 0, finished = 0, completed = 0;
        if (built.FluidHall is { } fluid)
        {
            foreach (var m in fluid.Metrics)
            {
                output += m.OutputTokensServed;
                met += m.SloMet;
                finished += m.Completed + m.Rejected;
                completed += m.Completed;
            }
        }

        if (built.RequestHall is { } hall)
        {
            foreach (var m in hall.Metrics)
            {
                output += m.OutputTokensServed;
                met += m.SloMet;
                finished += m.Completed + m.Rejected;
                completed += m.Completed;
            }
        }

        return new Mark(l.Seconds, l.ItJ, l.TotalJ, l.CostUsd, l.Co2Kg, l.GasJ, output, met, finished, _peakGridW, completed);
    }
}
