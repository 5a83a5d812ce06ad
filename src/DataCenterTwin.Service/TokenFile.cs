namespace DataCenterTwin.Service;

/// <summary>
/// Bearer tokens and roles, one per line (<c>TOKEN ROLE</c>, role <c>viewer</c> or <c>operator</c>;
/// blank lines and <c>#</c> comments skipped), from a file or, separated by commas or new lines, from
/// an environment variable.
/// </summary>
public static class TokenFile
{
    /// <summary>Parses the text; throws <see cref="FormatException"/> naming the line at fault.</summary>
    public static Dictionary<string, Role> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new Dictionary<string, Role>(StringComparer.Ordinal);
        var lines = text.Split(['\n', ','], StringSplitOptions.None);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new FormatException($"{source}: entry {i + 1}: expected \"TOKEN ROLE\" (role viewer or operator), got {parts.Length} word(s)");
            }

            var role = parts[1].ToLowerInvariant() switch
            {
                "viewer" => Role.Viewer,
                "operator" => Role.Operator,
                _ => throw new FormatException($"{source}: entry {i + 1}: role \"{parts[1]}\" is neither viewer nor operator"),
            };
            if (parts[0].Length < 16)
            {
                throw new FormatException($"{source}: entry {i + 1}: a token of {parts[0].Length} characters is too short to be secret (16 or more)");
            }

            tokens[parts[0]] = role;
        }

        return tokens;
    }
}
