using System.Globalization;
using DuckDB.NET.Data;

namespace DataCenterTwin.Tests.Shared;

/// <summary>Runs SQL on DuckDB (an independent Parquet reader) and returns the rows.</summary>
internal static class DuckDb
{
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The single value a query returns, as a double.</summary>
    public static double Scalar(string sql) => Convert.ToDouble(Query(sql)[0][0], CultureInfo.InvariantCulture);

    /// <summary>Column name → DuckDB type of a Parquet file or glob.</summary>
    public static Dictionary<string, string> Types(string glob) =>
        Query($"DESCRIBE SELECT * FROM read_parquet('{glob}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);

    /// <summary>The file's key/value metadata.</summary>
    public static Dictionary<string, string> KeyValueMetadata(string file) =>
        Query($"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{file}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
}
