namespace DataCenterTwin.Cli.Run;

/// <summary>Checks a run folder before anything is run, so an unusable --out fails at once with one line.</summary>
internal static class RunFolderProbe
{
    /// <summary>
    /// Creates <paramref name="folder"/> if needed and proves it writable by writing and removing a
    /// probe file; false, with one line on <paramref name="error"/> naming the folder, if it is not.
    /// </summary>
    public static bool Prepare(string folder, TextWriter error)
    {
        string probe = Path.Combine(folder, ".dctwin-write-probe.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error.WriteLine($"error: cannot write the run folder {Path.GetFullPath(folder)}: {ex.Message.TrimEnd('.')}; nothing was run");
            return false;
        }
    }
}
