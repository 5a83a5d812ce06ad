namespace DataCenterTwin.Cli.Bench.Fuzz;

/// <summary>What a fuzzed input is fed to; the corpus keeps one folder per target.</summary>
internal enum FuzzTarget
{
    /// <summary>A scenario file: loaded and validated, and run for a short horizon when valid.</summary>
    Scenario,

    /// <summary>A request trace in the Azure LLM CSV layout.</summary>
    RequestsCsv,

    /// <summary>A request trace as Parquet.</summary>
    RequestsParquet,

    /// <summary>An EnergyPlus weather file.</summary>
    Epw,

    /// <summary>Protobuf bytes sent as a request message to one of the gRPC service's unary methods.</summary>
    Grpc,
}

/// <summary>How one input ended.</summary>
internal enum FuzzVerdict
{
    /// <summary>Read (and run, where it is run) without complaint.</summary>
    Accepted,

    /// <summary>Refused with a clear error that names the place.</summary>
    Refused,

    /// <summary>An unhandled exception, an error that names no place, a hang, or a half-written file under a final name.</summary>
    Crashed,
}

/// <summary>The verdict on one input, with the message a user would see (or what went wrong).</summary>
internal readonly record struct FuzzOutcome(FuzzVerdict Verdict, string Detail)
{
    public static FuzzOutcome Accepted(string detail = "") => new(FuzzVerdict.Accepted, detail);

    public static FuzzOutcome Refused(string message) => new(FuzzVerdict.Refused, message);

    public static FuzzOutcome Crashed(string why) => new(FuzzVerdict.Crashed, why);
}
