using System.Text;
using System.Text.RegularExpressions;

namespace DataCenterTwin.Cli.Bench.Fuzz;

/// <summary>
/// Seeded mutations of valid inputs: one to three edits each (a value replaced by an absurd one, a
/// line deleted or doubled, punctuation inserted, a cut, bytes flipped), so most results are near
/// enough to valid to reach past the first check. The same seed gives the same inputs.
/// </summary>
internal sealed partial class Mutator(int seed)
{
    private static readonly string[] Values =
    [
        "0", "-1", "-0", "1e308", "-1e308", "1e-300", "NaN", ".nan", ".inf", "-.inf", "99999999999999999999", "2147483648", "-2147483649",
        "", "~", "x", "\"\"", "[]", "{}", "[1, [2]]", "0 s", "1 us", "1e-9 s", "1e12 d", "-5 kW", "1e12 MW", "0 kW", "NaN C", "-300 C", "1e6 C",
        "200 %", "-5 %", "0 /s", "1e9 /s", "1e-9 /s", "2026-02-30", "9999-12-31", "0001-01-01", "25-99", "13-12", "[0, 13]", "1e400 kWh",
    ];

    private static readonly string[] Punctuation = ["{", "}", "[", "]", ":", "- ", "&a ", "*a", "!!map ", "? ", "|", ">", "#", "\t", "\"", "'", "\n", ",", ",,", "\r", "\0", "%YAML 1.2\n---\n"];

    private readonly Random _random = new(seed);

    /// <summary>The underlying generator (for choices the caller makes).</summary>
    public Random Random => _random;

    /// <summary>Text with one to three edits.</summary>
    public string Text(string text)
    {
        int edits = 1 + _random.Next(3);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            text = _random.Next(7) switch
            {
                0 or 1 => ReplaceValue(text),
                2 => EditLine(text, delete: true),
                3 => EditLine(text, delete: false),
                4 => text.Insert(_random.Next(text.Length + 1), Punctuation[_random.Next(Punctuation.Length)]),
                5 => text[.._random.Next(text.Length)],
                _ => Encoding.UTF8.GetString(Bytes(Encoding.UTF8.GetBytes(text), flipsOnly: true)),
            };
        }

        return text;
    }

    /// <summary>Bytes with one to three edits: flipped bytes, a cut, a run of bytes removed, doubled or randomised.</summary>
    public byte[] Bytes(byte[] bytes, bool flipsOnly = false)
    {
        var b = new List<byte>(bytes);
        int edits = 1 + _random.Next(3);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = _random.Next(b.Count);
            int len = Math.Min(b.Count - at, 1 + _random.Next(16));
            switch (flipsOnly ? 0 : _random.Next(5))
            {
                case 0:
                    b[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    b.RemoveRange(at, b.Count - at);
                    break;
                case 2:
                    b.RemoveRange(at, len);
                    break;
                case 3:
                    b.InsertRange(at, b.GetRange(at, len));
                    break;
                default:
                    for (int i = at; i < at + len; i++)
                    {
                        b[i] = (byte)_random.Next(256);
                    }

                    break;
            }
        }

        return [.. b];
    }

    // A scalar after "key: " or between commas, replaced by an absurd or mistyped value.
    private string ReplaceValue(string text)
    {
        var matches = ValuePattern().Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var m = matches[_random.Next(matches.Count)];
        return string.Concat(text.AsSpan(0, m.Index), Values[_random.Next(Values.Length)], text.AsSpan(m.Index + m.Length));
    }

    private string EditLine(string text, bool delete)
    {
        var lines = text.Split('\n').ToList();
        int i = _random.Next(lines.Count);
        if (delete)
        {
            lines.RemoveAt(i);
        }
        else
        {
            lines.Insert(i, lines[i]);
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"(?<=: |,)[^\n#{}\[\],]+")]
    private static partial Regex ValuePattern();
}
