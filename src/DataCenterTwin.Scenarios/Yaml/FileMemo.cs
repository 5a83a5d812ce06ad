using System.Collections.Concurrent;

namespace DataCenterTwin.Scenarios.Yaml;

/// <summary>
/// What a scenario reads from files (weather, carbon, the hardware catalog, the chiller curves, each
/// file's digest), kept by the file's full path, length and last write time. Calibration loads the
/// same scenario with other parameter values thousands of times; parsing a year of weather each time
/// would cost more than running the twin. A changed file has another length or time and is read again.
/// The values kept are never changed after loading (the builder clones the weather it alters).
/// </summary>
internal static class FileMemo
{
    private static readonly ConcurrentDictionary<(string Kind, string Path, long Length, DateTime WrittenUtc), object> s_values = new();

    /// <summary>The value <paramref name="load"/> makes of <paramref name="path"/>, made once per version of the file.</summary>
    public static T Get<T>(string kind, string path, Func<string, T> load)
        where T : class
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return load(path);
        }

        var key = (kind, info.FullName, info.Length, info.LastWriteTimeUtc);
        if (s_values.TryGetValue(key, out var found))
        {
            return (T)found;
        }

        var value = load(path);
        s_values[key] = value;
        return value;
    }
}
