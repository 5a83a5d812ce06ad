using System.Net;
using System.Net.Sockets;
using DataCenterTwin.Kernel;
using DataCenterTwin.Service.Internal;
using DataCenterTwin.Service.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkiaSharp;

namespace DataCenterTwin.Service.Tests;

/// <summary>
/// A real browser on the page of a live session: Debian's chromium, headless, driven by Playwright
/// (which downloads nothing: it is pointed at /usr/bin/chromium, installed by tools/test.sh). A
/// missing browser fails the test.
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Page_ShowsTheViewAndItsOverlay_AndItsButtonsSteerTheSession()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: tools/test.sh installs Debian's chromium (apt-get install chromium)");
        int webPort = FreePort();
        await using var app = TwinServer.Build(new ServerOptions { Port = 0, WebPort = webPort });
        await app.StartAsync();
        var registry = app.Services.GetRequiredService<SessionRegistry>();
        var host = registry.Create(new CreateSessionRequest { ScenarioName = "quick" });
        await host.RunTo(_ => SimTime.FromSeconds(3600));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1700, Height = 950 } });
        var consoleErrors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                consoleErrors.Add($"{m.Text} ({m.Location})");
            }
        };
        await page.GotoAsync($"http://127.0.0.1:{webPort}/sessions/{host.Id}");
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.frames || 0) > 0", null, new PageWaitForFunctionOptions { Timeout = 180_000 });

        // The view: a drawn hall, not a blank canvas; the overlay panel's white text at its top left.
        byte[] shot = await page.Locator("#view").ScreenshotAsync();
        using var image = SKBitmap.Decode(shot);
        var (variance, colours) = Spread(image, 0, image.Height / 4, image.Width, image.Height * 3 / 4);
        Assert.True(variance > 100, $"the view's middle has a luminance variance of {variance:F1}: blank");
        Assert.True(colours > 50, $"the view's middle has {colours} distinct colours: blank");
        int text = Count(image, 0, 0, image.Width / 3, image.Height / 5, c => c.Red > 200 && c.Green > 200 && c.Blue > 200);
        Assert.True(text > 200, $"only {text} white text pixels where the overlay's figures are");
        Assert.Contains("day 1, 01:00", await page.Locator("#simtime").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("paused", await page.GetAttributeAsync("body", "data-state"));

        // Step 1 h: the session, read through the session API, is an hour on.
        await page.ClickAsync("#step");
        await WaitFor(() => host.Session.Now == SimTime.FromSeconds(7200), "the Step button to move the session to 7,200 s");
        await page.WaitForFunctionAsync("() => document.getElementById('simtime').textContent.startsWith('day 1, 02:00')", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

        // Chiller mode: hybrid-1 to gas, as the operator's select and button say.
        await page.WaitForSelectorAsync("#chiller option[value='hybrid-1']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#chiller", "hybrid-1");
        await page.SelectOptionAsync("#mode", "CHILLER_MODE_GAS");
        await page.ClickAsync("#applyMode");
        await page.WaitForFunctionAsync("() => document.getElementById('message').textContent.startsWith('chiller hybrid-1: gas')", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        // A control applies at the next control step: step again, then read the mode back through the session API.
        await page.ClickAsync("#step");
        await WaitFor(() => host.Session.Now == SimTime.FromSeconds(10_800), "the second step to reach 10,800 s");
        int k = host.Session.Built.Topology.Chillers.Single(c => c.Name == "hybrid-1").Index;
        Assert.Equal("manual gas", (await host.Snapshot()).ChillerMode[k]);

        // Run, then pause: the state the page shows is the session's.
        await page.ClickAsync("#start");
        await WaitFor(() => host.State is SessionState.Running or SessionState.Finished, "the Run button to start the session", page);
        await page.ClickAsync("#pause");
        await WaitFor(() => host.State is SessionState.Paused or SessionState.Finished, "the Pause button to pause it", page);
        Assert.Empty(consoleErrors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task WaitFor(Func<bool> done, string what, IPage? page = null) => WaitFor(() => Task.FromResult(done()), what, page);

    // Polls for up to a minute: the page's calls are asynchronous; the assertion says what never happened.
    private static async Task WaitFor(Func<Task<bool>> done, string what, IPage? page = null)
    {
        for (int i = 0; i < 600; i++)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"waited a minute for {what}{(page is null ? "" : "; the page says: " + await page.InnerTextAsync("#message"))}");
    }

    private static (double Variance, int Colours) Spread(SKBitmap b, int x0, int y0, int x1, int y1)
    {
        double sum = 0, sum2 = 0;
        int n = 0;
        var seen = new HashSet<uint>();
        for (int y = y0; y < y1; y += 2)
        {
            for (int x = x0; x < x1; x += 2)
            {
                var c = b.GetPixel(x, y);
                double l = (0.2126 * c.Red) + (0.7152 * c.Green) + (0.0722 * c.Blue);
                sum += l;
                sum2 += l * l;
                n++;
                seen.Add((uint)c);
            }
        }

        double mean = sum / n;
        return ((sum2 / n) - (mean * mean), seen.Count);
    }

    private static int Count(SKBitmap b, int x0, int y0, int x1, int y1, Func<SKColor, bool> match)
    {
        int n = 0;
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                if (match(b.GetPixel(x, y)))
                {
                    n++;
                }
            }
        }

        return n;
    }
}
