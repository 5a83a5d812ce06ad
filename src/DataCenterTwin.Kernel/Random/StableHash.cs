using System.Text;

namespace DataCenterTwin.Kernel.Random;

/// <summary>
/// A 64-bit hash of a string that is the same in every process and on every machine
/// (string.GetHashCode is randomised per process). FNV-1a over UTF-8, finished with a SplitMix64
/// mix so that similar paths land far apart.
/// </summary>
public static class StableHash
{
    /// <summary>The stable 64-bit hash of <paramref name="text"/>.</summary>
    public static ulong Of(string text)
    {
        const ulong offsetBasis = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        ulong h = offsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= prime;
        }

        return SplitMix64.Mix(h);
    }
}
