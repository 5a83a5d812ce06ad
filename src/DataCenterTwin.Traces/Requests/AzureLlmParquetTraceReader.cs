using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace DataCenterTwin.Traces.Requests;

/// <summary>
/// Reads a request trace from Parquet with the Azure LLM inference trace's columns: <c>TIMESTAMP</c>
/// (a Parquet timestamp, taken as UTC, or a string as in the CSV), <c>ContextTokens</c> and
/// <c>GeneratedTokens</c> (32- or 64-bit integers, or digits as text). Researchers often hold the Azure traces as
/// Parquet already (pandas, Polars); the rules are the CSV reader's: rows in time order, times
/// become microsecond offsets from the first row, malformed rows refuse the file or are skipped.
/// </summary>
public static class AzureLlmParquetTraceReader
{

    /// <summary>Reads a trace file.</summary>
    /// <exception cref="InvalidDataException">A column is missing or of the wrong type, no row is valid, or a row is malformed under <see cref="MalformedRowPolicy.RefuseFile"/>.</exception>
    public static TraceReadResult Read(string path, MalformedRowPolicy policy = MalformedRowPolicy.RefuseFile)
    {
        string name = Path.GetFileName(path);
        using var stream = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{name}: not a readable Parquet file: {ex.Message}", ex);
        }

        try
        {
            var fields = reader.Schema.GetDataFields();
            var time = Find(fields, "TIMESTAMP", name);
            var ctx = Find(fields, "ContextTokens", name);
            var gen = Find(fields, "GeneratedTokens", name);
            var rows = new TraceRows();
            long row = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var timeData = ReadColumnOf(group, time, name, g);
                var ctxData = ReadColumnOf(group, ctx, name, g);
                var genData = ReadColumnOf(group, gen, name, g);
                for (int i = 0; i < timeData.Length; i++, row++)
                {
                    string? problem = ParseRow(timeData[i], ctxData[i], genData[i], rows.LastTicks, out long ticks, out int c, out int o);
                    if (problem is not null)
                    {
                        rows.Skip($"{name}: row {row}", problem);
                        continue;
                    }

                    rows.Add(ticks, c, o);
                }
            }

            return rows.Finish(name, policy);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // A damaged file fails deep in the decoders (a bad page header, a Snappy copy offset, a length
    // past the end) with their own exception types and messages that name no file: each becomes an
    // InvalidDataException that says which file, row group and column could not be decoded.
    private static object?[] ReadColumnOf(ParquetRowGroupReader group, DataField field, string name, int rowGroup)
    {
        try
        {
            return ReadColumn(group, field, name);
        }
        catch (InvalidDataException ex) when (ex.Message.StartsWith(name + ":", StringComparison.Ordinal))
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{name}: row group {rowGroup}, column {field.Name}: the data cannot be decoded (a damaged Parquet file): {ex.Message}", ex);
        }
    }

    /// <summary>One column of a row group as boxed values (nulls included): loading is not a hot path.</summary>
    private static object?[] ReadColumn(ParquetRowGroupReader group, DataField field, string name)
    {
        int n = checked((int)group.RowCount);
        var t = field.ClrType;
        if (t == typeof(DateTime))
        {
            return field.IsNullable ? Box(ReadNullable<DateTime>(group, field, n)) : Box(Read<DateTime>(group, field, n));
        }

        if (t == typeof(long))
        {
            return field.IsNullable ? Box(ReadNullable<long>(group, field, n)) : Box(Read<long>(group, field, n));
        }

        if (t == typeof(int))
        {
            return field.IsNullable ? Box(ReadNullable<int>(group, field, n)) : Box(Read<int>(group, field, n));
        }

        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[n];
            group.ReadAsync(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
            return values;
        }

        throw new InvalidDataException($"{name}: column {field.Name} is {t.Name}; expected a timestamp, a string or an integer");
    }

    private static T[] Read<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        var values = new T[n];
        group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static T?[] ReadNullable<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        var values = new T?[n];
        group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static object?[] Box<T>(T[] values) => [.. values.Select(v => (object?)v)];

    private static DataField Find(DataField[] fields, string column, string name) =>
        Array.Find(fields, f => f.Name == column)
        ?? throw new InvalidDataException($"{name}: expected columns TIMESTAMP, ContextTokens, GeneratedTokens; found {string.Join(", ", fields.Select(f => f.Name))}");

    private static string? ParseRow(object? time, object? ctx, object? gen, long lastTicks, out long ticks, out int context, out int generated)
    {
        ticks = 0;
        context = generated = 0;
        switch (time)
        {
            // Parquet timestamps carry no zone for us to honour beyond UTC: the Azure traces are UTC.
            case DateTime dt:
                ticks = dt.Ticks;
                break;
            case DateTimeOffset dto:
                ticks = dto.UtcTicks;
                break;
            case string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                ticks = parsed.UtcTicks;
                break;
            default:
                return $"TIMESTAMP: expected a timestamp or a time such as 2023-11-16 18:17:03.9799600, got '{time}'";
        }

        if (Tokens(ctx, out context) is { } c)
        {
            return "ContextTokens: " + c;
        }

        if (Tokens(gen, out generated) is { } g)
        {
            return "GeneratedTokens: " + g;
        }

        return ticks < lastTicks ? $"TIMESTAMP {time} is earlier than the row before" : null;
    }

    private static string? Tokens(object? value, out int tokens)
    {
        long v = value switch
        {
            int i => i,
            long l => l,
            short s => s,

            // Tokens kept as text, as a CSV-to-Parquet conversion that reads every field as a string leaves them.
            string text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) => parsed,
            _ => -1,
        };
        tokens = (int)Math.Clamp(v, 0, int.MaxValue);
        return v is >= 0 and <= int.MaxValue ? null : $"expected a non-negative integer, got '{value}'";
    }
}
