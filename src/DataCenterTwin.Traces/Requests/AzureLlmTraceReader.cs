using System.Globalization;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Traces.Requests;

/// <summary>What the reader does with a malformed row.</summary>
public enum MalformedRowPolicy
{
    /// <summary>Refuse the whole file: throw, naming every bad line (up to a limit).</summary>
    RefuseFile = 0,

    /// <summary>Skip the bad rows, counting them and keeping their messages.</summary>
    SkipRows = 1,
}

/// <summary>A trace read from a file, with the rows that were skipped and why.</summary>
/// <param name="Trace">The requests.</param>
/// <param name="SkippedRows">Rows skipped under <see cref="MalformedRowPolicy.SkipRows"/>.</param>
/// <param name="Problems">One message per malformed row (<c>file:line: what</c>), the first 100.</param>
public sealed record TraceReadResult(RequestTrace Trace, int SkippedRows, IReadOnlyList<string> Problems);

/// <summary>
/// Reads the Azure LLM inference trace format (Azure/AzurePublicDataset, 2023 and 2024):
/// <c>TIMESTAMP,ContextTokens,GeneratedTokens</c>, timestamps as <c>YYYY-MM-DD HH:MM:SS.fffffff</c>
/// with or without a UTC offset and with any number of fractional digits. Times become offsets from
/// the first row, rounded to the microsecond. Rows must be in time order.
/// </summary>
public static class AzureLlmTraceReader
{

    /// <summary>Reads a trace file.</summary>
    /// <exception cref="InvalidDataException">The header is wrong, no row is valid, or a row is malformed under <see cref="MalformedRowPolicy.RefuseFile"/>.</exception>
    public static TraceReadResult Read(string path, MalformedRowPolicy policy = MalformedRowPolicy.RefuseFile)
    {
        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path), policy);
    }

    /// <summary>Reads a trace from text; <paramref name="name"/> prefixes messages.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string, MalformedRowPolicy)"/>.</exception>
    public static TraceReadResult Read(TextReader reader, string name, MalformedRowPolicy policy = MalformedRowPolicy.RefuseFile)
    {
        string header = reader.ReadLine()?.Trim().TrimStart('\uFEFF') ?? throw new InvalidDataException($"{name}: the file is empty");
        var columns = header.Split(',').Select(c => c.Trim()).ToArray();
        int timeCol = Array.IndexOf(columns, "TIMESTAMP"), ctxCol = Array.IndexOf(columns, "ContextTokens"), genCol = Array.IndexOf(columns, "GeneratedTokens");
        if (timeCol < 0 || ctxCol < 0 || genCol < 0)
        {
            throw new InvalidDataException($"{name}:1: expected columns TIMESTAMP, ContextTokens, GeneratedTokens; found '{header}'");
        }

        var rows = new TraceRows();
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            string? problem = ParseRow(text, columns.Length, timeCol, ctxCol, genCol, rows.LastTicks, out long ticks, out int ctx, out int gen);
            if (problem is not null)
            {
                rows.Skip($"{name}:{line}", problem);
                continue;
            }

            rows.Add(ticks, ctx, gen);
        }

        return rows.Finish(name, policy);
    }

    private static string? ParseRow(string text, int fieldCount, int timeCol, int ctxCol, int genCol, long lastTicks, out long ticks, out int ctx, out int gen)
    {
        ticks = 0;
        ctx = gen = 0;
        var f = text.Split(',');
        if (f.Length != fieldCount)
        {
            return $"expected {fieldCount} fields, found {f.Length}";
        }

        if (!DateTimeOffset.TryParse(f[timeCol].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return $"TIMESTAMP: expected a time such as 2023-11-16 18:17:03.9799600, got '{f[timeCol]}'";
        }

        if (!int.TryParse(f[ctxCol], NumberStyles.None, CultureInfo.InvariantCulture, out ctx))
        {
            return $"ContextTokens: expected a non-negative integer, got '{f[ctxCol]}'";
        }

        if (!int.TryParse(f[genCol], NumberStyles.None, CultureInfo.InvariantCulture, out gen))
        {
            return $"GeneratedTokens: expected a non-negative integer, got '{f[genCol]}'";
        }

        // 100 ns DateTime ticks; offsets are rounded to µs once the first row is known.
        ticks = time.UtcTicks;
        return ticks < lastTicks ? $"TIMESTAMP {f[timeCol]} is earlier than the row before" : null;
    }
}
