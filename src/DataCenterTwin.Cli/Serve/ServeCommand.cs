using System.CommandLine;
using System.Globalization;
using System.Net;
using DataCenterTwin.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCenterTwin.Cli.Serve;

/// <summary>
/// <c>dctwin serve</c>: the gRPC server. Loopback only unless <c>--allow-remote</c>, which needs
/// tokens; TLS from a certificate; prints the address it listens on once it does.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that may hold tokens ("TOKEN ROLE" entries, comma-separated).</summary>
    public const string TokensVariable = "DCTWIN_TOKENS";

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address and port (default 127.0.0.1:50051; port 0 picks a free one).", DefaultValueFactory = _ => "127.0.0.1:50051" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a non-loopback address (tokens required)." };
        var tokens = new Option<string?>("--tokens") { Description = $"File of bearer tokens, one \"TOKEN ROLE\" a line (viewer or operator); or set {TokensVariable}." };
        var cert = new Option<string?>("--tls-cert") { Description = "TLS certificate (.pfx, or .pem with --tls-key)." };
        var key = new Option<string?>("--tls-key") { Description = "PEM private key for a .pem certificate, or the .pfx password." };
        var idle = new Option<double>("--idle-timeout") { Description = "Close sessions untouched for this many seconds (default 1800).", DefaultValueFactory = _ => 1800 };
        var maxMessage = new Option<int>("--max-message-mb") { Description = "Largest message taken, MiB (default 16).", DefaultValueFactory = _ => 16 };
        var web = new Option<int?>("--web-port") { Description = "Port of the web page (HTTP/1.1, same address): default the gRPC port + 1 (a free one when that is 0); -1: no web page." };
        var streamHz = new Option<double>("--stream-max-hz") { Description = "Most telemetry messages a stream is sent per wall second after a burst of its buffer; more are dropped and counted (default 50; 0: no limit).", DefaultValueFactory = _ => 50 };
        var command = new Command("serve", "Serve live twin sessions over gRPC (datacentertwin.v1) and a web page of each.") { listen, allowRemote, tokens, cert, key, idle, maxMessage, web, streamHz };
        command.SetAction(parse => Run(parse.GetValue(listen)!, parse.GetValue(allowRemote), parse.GetValue(tokens), parse.GetValue(cert), parse.GetValue(key),
            parse.GetValue(idle), parse.GetValue(maxMessage), Console.Out, Console.Error, parse.GetValue(web), parse.GetValue(streamHz)));
        return command;
    }

    public static int Run(string listen, bool allowRemote, string? tokensFile, string? cert, string? key, double idleS, int maxMessageMb, TextWriter output, TextWriter error,
        int? webPort = null, double streamMaxHz = 50)
    {
        if (!TryParseEndpoint(listen, out var endpoint))
        {
            error.WriteLine($"error: --listen {listen}: expected ADDRESS:PORT (127.0.0.1:50051, [::1]:0)");
            return Program.ExitInvalidInput;
        }

        webPort ??= endpoint.Port == 0 ? 0 : endpoint.Port + 1;
        if (webPort is < -1 or > 65535)
        {
            error.WriteLine($"error: --web-port {webPort}: expected a port 0 to 65535, or -1 for no web page");
            return Program.ExitInvalidInput;
        }

        if (!(streamMaxHz >= 0) || double.IsPositiveInfinity(streamMaxHz))
        {
            error.WriteLine($"error: --stream-max-hz {streamMaxHz}: expected messages per second, 0 or more (0: no limit)");
            return Program.ExitInvalidInput;
        }

        if (!(idleS > 0) || maxMessageMb is < 1 or > 1024)
        {
            error.WriteLine("error: --idle-timeout must be more than 0 s and --max-message-mb 1 to 1024");
            return Program.ExitInvalidInput;
        }

        Dictionary<string, Role> tokens;
        try
        {
            tokens = tokensFile is not null ? TokenFile.Parse(File.ReadAllText(tokensFile), tokensFile)
                : Environment.GetEnvironmentVariable(TokensVariable) is { Length: > 0 } env ? TokenFile.Parse(env, TokensVariable)
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            error.WriteLine($"error: tokens: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        if (cert is not null && !File.Exists(cert))
        {
            error.WriteLine($"error: --tls-cert {cert}: no such file");
            return Program.ExitInvalidInput;
        }

        var options = new ServerOptions
        {
            Address = endpoint.Address,
            Port = endpoint.Port,
            AllowRemote = allowRemote,
            Tokens = tokens,
            CertificatePath = cert,
            CertificateKeyOrPassword = key,
            IdleTimeout = TimeSpan.FromSeconds(idleS),
            MaxReceiveMessageBytes = maxMessageMb * 1024 * 1024,
            MaxSendMessageBytes = maxMessageMb * 1024 * 1024,
            WebPort = webPort == -1 ? null : webPort,
            StreamMaxMessagesPerSecond = streamMaxHz,
        };
        WebApplication app;
        try
        {
            app = TwinServer.Build(options);
            app.Start();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine($"error: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        output.WriteLine($"dctwin serve: listening on {string.Join(", ", addresses)} ({(tokens.Count > 0 ? $"{tokens.Count} token(s)" : "no tokens")}, {(cert is null ? "plain HTTP/2" : "TLS")}{(options.WebPort is null ? "" : "; web page at the second address, /sessions/ID")})");
        output.Flush();
        app.WaitForShutdown();
        return Program.ExitOk;
    }

    internal static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (IPEndPoint.TryParse(text, out var parsed) && text.Contains(':', StringComparison.Ordinal) && text.LastIndexOf(':') > text.LastIndexOf(']'))
        {
            endpoint = parsed;
            return parsed.Port is >= 0 and <= 65535;
        }

        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) && int.TryParse(text.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
            return port <= 65535;
        }

        return false;
    }
}
