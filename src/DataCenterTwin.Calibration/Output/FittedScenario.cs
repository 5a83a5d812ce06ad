using System.Globalization;
using System.Text;
using DataCenterTwin.Calibration.Twin;
using DataCenterTwin.Scenarios;
using DataCenterTwin.Scenarios.Yaml;

namespace DataCenterTwin.Calibration.Output;

/// <summary>
/// The scenario with the fitted values: the resolved scenario (every value the run uses, defaults
/// filled in, so it runs as it stands) loaded with each parameter at its posterior mean, and beside
/// each fitted value a comment with its uncertainty (sd, 5–95 % interval, R-hat, ESS, whether the
/// telemetry identified it).
/// </summary>
public static class FittedScenario
{
    /// <summary>The fitted scenario's text.</summary>
    public static string Write(CalibrationResult result, string scenarioPath, string? assetsDirectory, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var fitted = result.Parameters.Where(p => p.Spec.Path.Length > 0).ToList();
        var values = new Dictionary<string, string>(overrides ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var p in fitted)
        {
            values[p.Spec.Path] = p.Spec.Unit.Length == 0 ? p.Summary.Mean.ToString("R", inv) : $"{p.Summary.Mean.ToString("R", inv)} {p.Spec.Unit}";
        }

        var (spec, errors) = ScenarioLoader.Load(scenarioPath, assetsDirectory, values);
        if (spec is null)
        {
            throw new Runs.ScenarioException(scenarioPath, errors);
        }

        var lines = spec.ResolvedYaml.Split('\n').ToList();
        var parseErrors = new List<ScenarioError>();
        var root = ScenarioDocument.LoadText(spec.ResolvedYaml, "fitted.yaml", parseErrors);
        var header = new StringBuilder();
        header.Append(CultureInfo.InvariantCulture, $"# {spec.Name}: calibrated ({(result.Method == PosteriorMethod.Mcmc ? "MCMC" : "Laplace approximation")}, "
            + $"{(result.Converged ? "converged" : "NOT converged: " + string.Join("; ", result.ConvergenceProblems))}); fitted values are posterior means\n");
        foreach (var p in result.Parameters.Where(p => p.Spec.Path.Length == 0))
        {
            header.Append(CultureInfo.InvariantCulture, $"# {Describe(p)}\n");
        }

        // Comments go at the end of each fitted value's line, bottom-up so line numbers hold.
        var notes = new List<(int Line, string Text)>();
        foreach (var p in fitted)
        {
            int line = root is null ? -1 : LineOf(root, p.Spec.Path);
            if (line > 0 && line <= lines.Count)
            {
                notes.Add((line - 1, Describe(p)));
            }
            else
            {
                header.Append(CultureInfo.InvariantCulture, $"# {p.Spec.Path}: {Describe(p)}\n");
            }
        }

        foreach (var (line, text) in notes.OrderByDescending(n => n.Line))
        {
            lines[line] = lines[line].TrimEnd() + "  # " + text;
        }

        return header + string.Join('\n', lines);
    }

    private static string Describe(FittedParameter p)
    {
        string u = p.Spec.Unit.Length == 0 ? "" : " " + p.Spec.Unit;
        var s = p.Summary;
        string f(double x) => PosteriorFile.Invariant(x);
        string convergence = double.IsFinite(s.Rhat) ? $", R-hat {s.Rhat.ToString("F3", CultureInfo.InvariantCulture)}, ESS {s.EffectiveSampleSize.ToString("F0", CultureInfo.InvariantCulture)}" : "";
        string identified = p.Identified ? "" : $"; NOT identified by the telemetry (posterior sd {p.WidthRatio.ToString("F2", CultureInfo.InvariantCulture)} of the prior's)";
        return $"calibrated {p.Spec.Name}: {f(s.Mean)}{u} ± {f(s.StandardDeviation)}{u} (sd), 5–95 % {f(s.Q05)}–{f(s.Q95)}{u}{convergence}{identified}";
    }

    /// <summary>The 1-based line of the scalar at <paramref name="path"/> ("a.b[1].c"), or −1.</summary>
    internal static int LineOf(YamlMap root, string path)
    {
        YamlNode? node = root;
        foreach (string segment in path.Split('.'))
        {
            int open = segment.IndexOf('[', StringComparison.Ordinal);
            string key = open < 0 ? segment : segment[..open];
            node = node is YamlMap m ? m[key] : null;
            if (open >= 0 && node is YamlList list && int.TryParse(segment.AsSpan(open + 1, segment.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int i))
            {
                node = i < list.Items.Count ? list.Items[i] : null;
            }

            if (node is null)
            {
                return -1;
            }
        }

        return node is YamlScalar ? node.Source.Line : -1;
    }
}
