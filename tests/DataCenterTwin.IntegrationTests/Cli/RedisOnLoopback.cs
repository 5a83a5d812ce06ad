using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DataCenterTwin.IntegrationTests.Cli;

/// <summary>
/// A Redis server for the cluster tests, on loopback only: the one tools/test.sh started
/// (<c>DCTWIN_TEST_REDIS=127.0.0.1:PORT</c>), or Debian's <c>redis-server</c> started here on a free
/// port with no persistence and stopped on dispose.
/// </summary>
internal sealed class RedisOnLoopback : IDisposable
{
    private readonly Process? _process;

    private RedisOnLoopback(string address, Process? process)
    {
        Address = address;
        _process = process;
    }

    /// <summary>host:port.</summary>
    public string Address { get; }

    public static RedisOnLoopback Start()
    {
        if (Environment.GetEnvironmentVariable("DCTWIN_TEST_REDIS") is { Length: > 0 } given)
        {
            return new RedisOnLoopback(given, null);
        }

        string server = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; tools/test.sh does it)");
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no",
            "--protected-mode", "yes", "--dir", Directory.CreateTempSubdirectory("dctwin-redis").FullName })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return new RedisOnLoopback($"127.0.0.1:{port}", process);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port}");
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
    }
}
