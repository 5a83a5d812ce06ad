namespace DataCenterTwin.Kernel.Random;

/// <summary>
/// The run's random streams, one per component path, each seeded from (run seed, stable hash of
/// the path): adding a component never shifts another component's numbers.
/// </summary>
public sealed class RandomStreams
{
    private readonly Dictionary<string, RandomStream> _byPath = new(StringComparer.Ordinal);
    private readonly List<RandomStream> _inCreationOrder = [];

    /// <summary>Creates the stream family of a run seed.</summary>
    public RandomStreams(ulong seed) => Seed = seed;

    /// <summary>The run seed every stream derives from.</summary>
    public ulong Seed { get; }

    /// <summary>The streams created so far, in creation order.</summary>
    public IReadOnlyList<RandomStream> Streams => _inCreationOrder;

    /// <summary>The stream of a component path, created on first use; the same object thereafter.</summary>
    public RandomStream For(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!_byPath.TryGetValue(path, out var stream))
        {
            stream = new RandomStream(path, DeriveSeed(Seed, path));
            _byPath.Add(path, stream);
            _inCreationOrder.Add(stream);
        }

        return stream;
    }

    /// <summary>The seed of the stream for <paramref name="path"/> under run seed <paramref name="seed"/>.</summary>
    public static ulong DeriveSeed(ulong seed, string path) => SplitMix64.Mix(seed ^ SplitMix64.Mix(seed + StableHash.Of(path)));
}
