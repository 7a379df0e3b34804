using System.Text;
using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// Runs the Chromium of the machine (the Debian package <c>chromium</c>, found on PATH) headless, once per call, with a
/// fresh profile and no network activity of its own; each run is killed after <see cref="Timeout"/>. Started through
/// <see cref="LocalProcess"/>, so neither it nor its helper processes outlive the test process.
/// </summary>
internal static class HeadlessChromium
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Long enough for Swagger UI to fetch the contract and render; virtual time ends as soon as the page is idle.
    private const int VirtualTimeBudgetMilliseconds = 15000;

    /// <summary>Loads <paramref name="url"/>, lets its scripts run, and returns the rendered DOM.</summary>
    public static Task<string> DumpDomAsync(Uri url) => RunAsync(url, ["--dump-dom"]);

    /// <summary>Loads <paramref name="url"/>, lets its scripts run, and saves a PNG of the window at <paramref name="path"/>.</summary>
    public static Task ScreenshotAsync(Uri url, string path, int width, int height) =>
        RunAsync(url, [$"--screenshot={path}", $"--window-size={width},{height}"]);

    /// <summary>Runs Chromium on <paramref name="url"/>; returns what it wrote to standard output (its log goes to standard error).</summary>
    private static async Task<string> RunAsync(Uri url, IEnumerable<string> action)
    {
        var profile = Directory.CreateTempSubdirectory("eventstore-chromium-");
        try
        {
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={VirtualTimeBudgetMilliseconds}",
                .. action, url.AbsoluteUri,
            ];
            var output = new StringBuilder();
            var errors = new StringBuilder();
            var exitCode = await LocalProcess.RunAsync(FindExecutable(), arguments, profile.FullName, Timeout, output, errors);
            return exitCode switch
            {
                0 => LocalProcess.Text(output),
                LocalProcess.TimedOut => throw new TimeoutException(
                    $"Chromium did not finish within {Timeout.TotalSeconds:0} s loading {url}; killed it.\n{LocalProcess.Text(errors)}"),
                _ => throw new InvalidOperationException($"Chromium exited with code {exitCode} loading {url}:\n{LocalProcess.Text(errors)}"),
            };
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary profile is harmless; failing the test over it is not.
            }
        }
    }

    private static string FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var message = new StringBuilder()
            .Append("Chromium is needed to check the interactive API page in a real browser, and 'chromium' is not on PATH (")
            .Append(path)
            .Append("). Install the Debian package chromium: apt-get install chromium (.ci/run does).");
        throw new InvalidOperationException(message.ToString());
    }
}
