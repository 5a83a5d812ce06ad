namespace DataCenterTwin.Sweeps;

/// <summary>One axis of a grid: a scenario path and the values it takes, as scenario text ("1.2 MW", "hybrid").</summary>
/// <param name="Path">The scenario path, with list indices (<c>cooling.chillers[0].type</c>).</param>
/// <param name="Values">The values, in order.</param>
public sealed record GridAxis(string Path, IReadOnlyList<string> Values);

/// <summary>One range of a Latin hypercube: a numeric path between two values in the same unit.</summary>
/// <param name="Path">The scenario path.</param>
/// <param name="Min">Lower end, in <paramref name="Unit"/>.</param>
/// <param name="Max">Upper end, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit both ends were written in ("kW"; empty for a plain number).</param>
/// <param name="Whole">Whether the values are whole numbers (rack counts).</param>
public sealed record HypercubeRange(string Path, double Min, double Max, string Unit, bool Whole);

/// <summary>A sweep: a base scenario and its variations.</summary>
/// <param name="Name">The sweep's name (a partition of the results).</param>
/// <param name="BasePath">The base scenario file, absolute.</param>
/// <param name="Fixed">Overrides every variant takes.</param>
/// <param name="Grid">Grid axes; every combination is a variant.</param>
/// <param name="Ranges">Latin hypercube ranges (none: no hypercube).</param>
/// <param name="Samples">Hypercube samples.</param>
/// <param name="HypercubeSeed">Seed of the hypercube's permutations.</param>
/// <param name="Seeds">Run seeds; each design runs once per seed.</param>
public sealed record SweepSpec(string Name, string BasePath, IReadOnlyDictionary<string, string> Fixed, IReadOnlyList<GridAxis> Grid,
    IReadOnlyList<HypercubeRange> Ranges, int Samples, ulong HypercubeSeed, IReadOnlyList<long> Seeds);

/// <summary>One variant of a sweep: its overrides of the base scenario and its seed.</summary>
/// <param name="Index">Its place in the expansion.</param>
/// <param name="Overrides">Every override, the seed included (<c>run.seed</c>).</param>
/// <param name="Parameters">The overrides that vary across the sweep, for the results.</param>
/// <param name="Seed">The run seed.</param>
public sealed record SweepVariant(int Index, IReadOnlyDictionary<string, string> Overrides, IReadOnlyDictionary<string, string> Parameters, long Seed);
