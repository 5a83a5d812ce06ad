using System.Net;

namespace DataCenterTwin.Service;

/// <summary>How <c>dctwin serve</c> listens and whom it lets in.</summary>
public sealed record ServerOptions
{
    /// <summary>The address to listen on (loopback unless <see cref="AllowRemote"/>).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port (0: any free one).</summary>
    public int Port { get; init; } = 50051;

    /// <summary>
    /// A second port, on the same address, for the web page and its HTTP/1.1 API (browsers do not speak
    /// HTTP/2 without TLS, which the gRPC port does); null: no web page, 0: any free port.
    /// </summary>
    public int? WebPort { get; init; }

    /// <summary>Whether a non-loopback address may be used (it still needs tokens).</summary>
    public bool AllowRemote { get; init; }

    /// <summary>A PFX or PEM certificate for TLS, or null for plain HTTP/2.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The PEM private key when <see cref="CertificatePath"/> is a PEM certificate, or the PFX password.</summary>
    public string? CertificateKeyOrPassword { get; init; }

    /// <summary>Bearer tokens and their roles; empty: no authentication (loopback only).</summary>
    public IReadOnlyDictionary<string, Role> Tokens { get; init; } = new Dictionary<string, Role>();

    /// <summary>A session nobody touches (no call, no open stream) for this long is closed and its outputs finished.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest message the server takes, bytes (a scenario is one message).</summary>
    public int MaxReceiveMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The largest message the server sends, bytes.</summary>
    public int MaxSendMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most telemetry messages one stream is sent per wall second, after a burst of its buffer's size
    /// (a token bucket); more are decimated and counted as dropped. It keeps a hundred readers of a
    /// full-speed run from taking the simulation's cores; 0: no limit.
    /// </summary>
    public double StreamMaxMessagesPerSecond { get; init; } = 50;

    /// <summary>The most sessions held at once.</summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>The assets folder (weather, catalog); null: the nearest one above the program.</summary>
    public string? AssetsDirectory { get; init; }

    /// <summary>The folder of reference scenarios; null: <c>scenarios</c> beside the assets folder.</summary>
    public string? ScenariosDirectory { get; init; }
}

/// <summary>What a token lets its holder do.</summary>
public enum Role
{
    /// <summary>Reads and streams.</summary>
    Viewer,

    /// <summary>Everything.</summary>
    Operator,
}
