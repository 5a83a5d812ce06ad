using System.Text;
using DataCenterTwin.Scenarios.Catalog;
using DataCenterTwin.Scenarios.Yaml;
using FsCheck.Xunit;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DataCenterTwin.Scenarios.Tests;

/// <summary>
/// Bad input never crashes the loader: truncated files, a wrong type or absurd number at every
/// key of the reference scenarios, deeply nested junk and binary garbage each give errors (or a
/// valid spec), never an exception.
/// </summary>
public class ScenarioLoaderFuzzTests
{
    private static readonly string? Assets = AssetPaths.FindAssetsDirectory();
    private static readonly string ScenariosDirectory = Path.GetFullPath(Path.Combine(Assets!, "..", "scenarios"));

    private static readonly string[] Replacements =
    [
        "[1, 2, [3]]", "{ a: 1, b: { c: 2 } }", "NaN", ".nan", "1e400", "-1e308", "∞", "-.inf", "1e308 MW", "-1e308 kW",
        "99999999999999999999999", "0", "-1", "~", "\"\"", new string('x', 20_000), "1e300 d", "1e300 s", "1e300 /s",
    ];

    public static TheoryData<string> ReferenceScenarios()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(ScenariosDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal))
        {
            data.Add(f);
        }

        return data;
    }

    /// <summary>
    /// Loads text as a file beside the reference scenarios; fails on an exception. No clock: the
    /// work is bounded by the input (a reference scenario with at most one 20,000-character value, plus the files it names, one
    /// load per case, a fixed number of cases), so a slow shared machine cannot fail it.
    /// </summary>
    private static IReadOnlyList<ScenarioError> LoadWithin(string text, string what)
    {
        (ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors) loaded;
        try
        {
            loaded = ScenarioLoader.LoadText(text, Path.Combine(ScenariosDirectory, "fuzzed.yaml"), Assets);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: the loader threw {ex}");
            throw;
        }

        var (spec, errors) = loaded;
        Assert.True(spec is not null || errors.Count > 0, $"{what}: no spec and no error");
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message), what));
        return errors;
    }

    [Theory]
    [MemberData(nameof(ReferenceScenarios))]
    public void TruncatedScenario_GivesErrorsNeverAnException(string file)
    {
        string text = File.ReadAllText(Path.Combine(ScenariosDirectory, file));
        int stride = Math.Max(1, text.Length / 100);
        Parallel.For(0, (text.Length / stride) + 1, i => LoadWithin(text[..Math.Min(i * stride, text.Length)], $"{file} cut at {i * stride}"));
    }

    [Theory]
    [MemberData(nameof(ReferenceScenarios))]
    public void WrongTypeOrAbsurdValueAtEveryKey_GivesErrorsNeverAnException(string file)
    {
        string text = File.ReadAllText(Path.Combine(ScenariosDirectory, file));
        var scalars = ValueScalars(text);
        Assert.NotEmpty(scalars);
        // Each value gets three of the replacements, rotating, so every replacement meets many keys
        // and every key meets a container, a non-finite number and an absurd one in turn. The metro
        // scenario reads two request traces per load (about 0.15 s), so it gets one per key.
        int perKey = file == "metro-inference.yaml" ? 1 : 3;
        Parallel.For(0, scalars.Count, i =>
        {
            var (start, end) = scalars[i];
            for (int k = 0; k < perKey; k++)
            {
                string replacement = Replacements[((i * perKey) + k) % Replacements.Length];
                string mutated = string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
                LoadWithin(mutated, $"{file}: value at {start} (\"{text[start..end]}\") replaced by \"{Shorten(replacement)}\"");
            }
        });
    }

    [Theory]
    [InlineData("[", 10_000)]
    [InlineData("{", 10_000)]
    [InlineData("[{a: ", 5_000)]
    [InlineData("- ", 10_000)]
    [InlineData("a:\n", 10_000)]
    public void DeeplyNestedJunk_IsRefusedQuickly(string opener, int levels)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < levels; i++)
        {
            sb.Append(opener);
            if (opener == "a:\n")
            {
                sb.Append(' ', i + 1);
            }
        }

        var errors = LoadWithin(sb.ToString(), $"{levels} levels of {opener}");
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void DeeplyNestedJunk_InsideARealScenario_IsRefused()
    {
        string text = File.ReadAllText(Path.Combine(ScenariosDirectory, "quick.yaml"));
        string junk = new string('[', 10_000) + new string(']', 10_000);
        var errors = LoadWithin(text.Replace("capacity: 200 kW", "capacity: " + junk, StringComparison.Ordinal), "nested junk at site.grid.capacity");
        Assert.Contains(errors, e => e.Message.Contains("nested deeper", StringComparison.Ordinal));
    }

    [Fact]
    public void BinaryGarbage_GivesErrorsNeverAnException()
    {
        var random = new Random(20261129);
        string quick = File.ReadAllText(Path.Combine(ScenariosDirectory, "quick.yaml"));
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            string garbage = i % 2 == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
            LoadWithin(garbage, $"garbage {i}");

            // Garbage spliced into a real file at a random place.
            int at = random.Next(quick.Length);
            LoadWithin(string.Concat(quick.AsSpan(0, at), garbage.AsSpan(0, Math.Min(garbage.Length, 64)), quick.AsSpan(at)), $"garbage {i} spliced at {at}");
        }
    }

    [Fact]
    public void RandomEditsOfAReferenceScenario_GiveErrorsNeverAnException()
    {
        // Seeded mutator: delete, duplicate or swap characters and lines, insert YAML punctuation.
        var random = new Random(42);
        string[] files = ["quick.yaml", "training-nvl72.yaml", "aircooled-retrofit.yaml"];
        string[] punctuation = ["{", "}", "[", "]", ":", "- ", "&a ", "*a", "!!map ", "? ", "|", ">", "#", "\t", "\"", "'", "\n", "  ", ",", "%YAML 1.2\n---\n"];
        for (int i = 0; i < 300; i++)
        {
            var text = new StringBuilder(File.ReadAllText(Path.Combine(ScenariosDirectory, files[i % files.Length])));
            for (int k = random.Next(1, 6); k > 0; k--)
            {
                int at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0:
                        text.Remove(at, Math.Min(random.Next(1, 40), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, punctuation[random.Next(punctuation.Length)]);
                        break;
                    case 2:
                        int from = random.Next(text.Length);
                        text.Insert(at, text.ToString(from, Math.Min(random.Next(1, 80), text.Length - from)));
                        break;
                    default:
                        text[at] = (char)random.Next(32, 127);
                        break;
                }
            }

            LoadWithin(text.ToString(), $"random edit {i}");
        }
    }

    [Fact]
    public void HugeHall_LoadsQuicklyWithShortMessages()
    {
        // 300,000 NVL72 racks: sizing CDUs was quadratic in the racks, and a failure target's
        // message listed every rack by name.
        string text = File.ReadAllText(Path.Combine(ScenariosDirectory, "training-nvl72.yaml"))
            .Replace("racks: 16", "racks: 100000", StringComparison.Ordinal)
            .Replace("racks: 4\n", "racks: 100000\n", StringComparison.Ordinal)
            .Replace("target: cdu-2", "target: cdu-99999", StringComparison.Ordinal);
        var errors = LoadWithin(text, "300,000 racks");
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Message.Length < 2_000, Shorten(e.Message)));
    }

    [Property(MaxTest = 300)]
    public bool AnyText_GivesErrorsOrASpecNeverAnException(string text)
    {
        LoadWithin(text ?? "", "arbitrary text");
        return true;
    }

    // The start and end of every scalar that is a mapping value or a list item (not a key).
    private static List<(int Start, int End)> ValueScalars(string text)
    {
        var result = new List<(int, int)>();
        var parser = new Parser(new StringReader(text));
        var frames = new Stack<(bool IsMapping, bool ExpectingKey)>();
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    Advance(frames);
                    frames.Push((parser.Current is MappingStart, true));
                    break;
                case MappingEnd or SequenceEnd:
                    frames.Pop();
                    break;
                case Scalar s:
                    if (!Advance(frames) && s.Start.Index < s.End.Index)
                    {
                        result.Add(((int)s.Start.Index, (int)s.End.Index));
                    }

                    break;
            }
        }

        return result;
    }

    // Moves past one node of the container on top; true when that node was a mapping key.
    private static bool Advance(Stack<(bool IsMapping, bool ExpectingKey)> frames)
    {
        if (frames.Count == 0 || !frames.Peek().IsMapping)
        {
            return false;
        }

        var (_, expectingKey) = frames.Pop();
        frames.Push((true, !expectingKey));
        return expectingKey;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
