using EventStore.Testing;
using Microsoft.Playwright;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// The Chromium of the machine (the Debian package <c>chromium</c>, at <see cref="ExecutablePath"/>) driven by Playwright,
/// headless, one browser for the <see cref="BrowserTests"/>; each test opens pages in a fresh context of its own. Playwright's driver
/// ships in its NuGet package; no browser is downloaded. Screenshots go to <c>.artifacts/browser/</c>.
/// </summary>
public sealed class PlaywrightChromium : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// How long a check waits for a page to reach what it awaits: longer than Playwright's 5 s, as the machine runs builds
    /// beside the tests.
    /// </summary>
    public const float WaitMilliseconds = 20_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The folder screenshots are saved in.</summary>
    public static string ArtifactsPath => Path.Combine(RepositoryPaths.Root, ".artifacts", "browser");

    /// <summary>Starts Playwright's driver and Chromium.</summary>
    /// <returns>A task completing when the browser runs.</returns>
    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is needed to check the server's pages in a real browser, and {ExecutablePath} does not exist. Install the Debian package chromium: apt-get install chromium (.ci/run does).");
        }

        Assertions.SetDefaultExpectTimeout(WaitMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // As root in a container Chromium's sandbox cannot start; the pages are the server's own.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// Opens <paramref name="url"/> in a new context, 1280 pixels wide, and waits for it to load. Dialogs a page opens are
    /// dismissed and counted in <see cref="BrowserPage.Dialogs"/>, its uncaught errors kept in <see cref="BrowserPage.Errors"/>.
    /// </summary>
    /// <param name="url">The page to open.</param>
    /// <returns>The open page; dispose it to close its context.</returns>
    public async Task<BrowserPage> OpenAsync(Uri url)
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser is not started.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var opened = new BrowserPage(context, page);
        await page.GotoAsync(url.AbsoluteUri);
        return opened;
    }

    /// <summary>Closes the browser and stops the driver.</summary>
    /// <returns>A task completing when both are gone.</returns>
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
