using System.Globalization;

namespace DataCenterTwin.Sweeps;

/// <summary>
/// A condition on a run's summary figures, such as
/// <c>seconds_over_grid_cap &gt; 0 or slo_attainment &lt; 0.99</c>: comparisons of a figure with a
/// number (&gt;, &gt;=, &lt;, &lt;=, ==, !=), joined by <c>and</c> and <c>or</c> (and binds tighter), in
/// parentheses where needed.
/// </summary>
public sealed class StopCondition
{
    private readonly Node _root;

    private StopCondition(Node root, IReadOnlyList<string> keys, string text)
    {
        _root = root;
        Keys = keys;
        Text = text;
    }

    /// <summary>The figures the condition reads.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The condition as written.</summary>
    public string Text { get; }

    /// <summary>Whether the condition holds for the figures <paramref name="figure"/> returns (null: undefined, never holds).</summary>
    public bool Holds(Func<string, double?> figure) => _root.Eval(figure);

    /// <summary>
    /// Whether the condition holds now and must still hold at the end of the run, whatever the rest
    /// of it does: a comparison "&gt;" or "&gt;=" on a figure that never falls as a run goes on (a
    /// count of seconds over the grid cap, a peak), once true, stays true; every other comparison is
    /// taken as undecided. <paramref name="figure"/> gives the figures that never fall (null: not one
    /// of them, or undefined so far).
    /// </summary>
    public bool SureToHold(Func<string, double?> figure) => _root.Sure(figure);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The text is not a condition; the message says where.</exception>
    public static StopCondition Parse(string text)
    {
        var tokens = Tokenize(text);
        int at = 0;
        var keys = new List<string>();
        var root = Or(tokens, ref at, keys, text);
        if (at < tokens.Count)
        {
            throw new FormatException($"\"{text}\": unexpected \"{tokens[at]}\" after a complete condition");
        }

        return new StopCondition(root, keys.Distinct().ToList(), text);
    }

    private static Node Or(List<string> t, ref int at, List<string> keys, string text)
    {
        var left = And(t, ref at, keys, text);
        while (at < t.Count && t[at] == "or")
        {
            at++;
            left = new Binary(left, And(t, ref at, keys, text), IsOr: true);
        }

        return left;
    }

    private static Node And(List<string> t, ref int at, List<string> keys, string text)
    {
        var left = Comparison(t, ref at, keys, text);
        while (at < t.Count && t[at] == "and")
        {
            at++;
            left = new Binary(left, Comparison(t, ref at, keys, text), IsOr: false);
        }

        return left;
    }

    private static Node Comparison(List<string> t, ref int at, List<string> keys, string text)
    {
        if (at < t.Count && t[at] == "(")
        {
            at++;
            var inner = Or(t, ref at, keys, text);
            if (at >= t.Count || t[at] != ")")
            {
                throw new FormatException($"\"{text}\": a \"(\" is not closed");
            }

            at++;
            return inner;
        }

        if (at + 2 >= t.Count)
        {
            throw new FormatException($"\"{text}\": expected a comparison such as \"slo_attainment < 0.99\" at its end");
        }

        string key = t[at], op = t[at + 1], number = t[at + 2];
        if (!char.IsLetter(key[0]) || op is not (">" or ">=" or "<" or "<=" or "==" or "!=")
            || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new FormatException($"\"{text}\": expected a comparison such as \"slo_attainment < 0.99\", got \"{key} {op} {number}\"");
        }

        at += 3;
        keys.Add(key);
        return new Compare(key, op, value);
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '<' or '>' or '=' or '!')
            {
                bool two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(text.Substring(i, two ? 2 : 1));
                i += two ? 2 : 1;
            }
            else
            {
                int start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '<' or '>' or '=' or '!'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        if (tokens.Count == 0)
        {
            throw new FormatException("the condition is empty");
        }

        return tokens;
    }

    private abstract record Node
    {
        public abstract bool Eval(Func<string, double?> figure);

        public abstract bool Sure(Func<string, double?> rising);
    }

    private sealed record Binary(Node Left, Node Right, bool IsOr) : Node
    {
        public override bool Eval(Func<string, double?> figure) => IsOr ? Left.Eval(figure) || Right.Eval(figure) : Left.Eval(figure) && Right.Eval(figure);

        public override bool Sure(Func<string, double?> rising) => IsOr ? Left.Sure(rising) || Right.Sure(rising) : Left.Sure(rising) && Right.Sure(rising);
    }

    private sealed record Compare(string Key, string Op, double Value) : Node
    {
        public override bool Eval(Func<string, double?> figure) => figure(Key) is { } x && Op switch
        {
            ">" => x > Value,
            ">=" => x >= Value,
            "<" => x < Value,
            "<=" => x <= Value,
            "==" => x == Value,
            _ => x != Value,
        };

        // Only a lower bound that is already passed survives a figure that can only grow.
        public override bool Sure(Func<string, double?> rising) => Op is ">" or ">=" && Eval(rising);
    }
}
