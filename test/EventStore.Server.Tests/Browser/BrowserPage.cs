using Microsoft.Playwright;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>A page open in a context of its own (see <see cref="PlaywrightChromium.OpenAsync"/>); disposing closes both.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _dialogs = [];
    private readonly List<string> _errors = [];

    internal BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            lock (_dialogs)
            {
                _dialogs.Add(dialog.Message);
            }

            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>The messages of the dialogs (alert, confirm, prompt) the page opened.</summary>
    public IReadOnlyList<string> Dialogs
    {
        get
        {
            lock (_dialogs)
            {
                return [.. _dialogs];
            }
        }
    }

    /// <summary>The page's uncaught script errors.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Saves a PNG of the whole page as <c>.artifacts/browser/<paramref name="name"/>.png</c>.</summary>
    /// <param name="name">The file's name, without extension.</param>
    /// <returns>The file's path.</returns>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(PlaywrightChromium.ArtifactsPath);
        var path = Path.Combine(PlaywrightChromium.ArtifactsPath, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Closes the page's context.</summary>
    /// <returns>A task completing when it is closed.</returns>
    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
