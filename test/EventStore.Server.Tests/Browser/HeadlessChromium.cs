using System.Diagnostics;
using System.Text;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// Runs the Chromium of the machine (the Debian package <c>chromium</c>, found on PATH) headless, once per call, with a
/// fresh profile and no network activity of its own; each run is killed after <see cref="Timeout"/>.
/// </summary>
internal static class HeadlessChromium
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Long enough for Swagger UI to fetch the contract and render; virtual time ends as soon as the page is idle.
    private const int VirtualTimeBudgetMilliseconds = 15000;

    /// <summary>Loads <paramref name="url"/>, lets its scripts run, and returns the rendered DOM.</summary>
    public static async Task<string> DumpDomAsync(Uri url) =>
        (await RunAsync(url, ["--dump-dom"])).Output;

    /// <summary>Loads <paramref name="url"/>, lets its scripts run, and saves a PNG of the window at <paramref name="path"/>.</summary>
    public static async Task ScreenshotAsync(Uri url, string path, int width, int height) =>
        await RunAsync(url, [$"--screenshot={path}", $"--window-size={width},{height}"]);

    private static async Task<(string Output, string Errors)> RunAsync(Uri url, IEnumerable<string> action)
    {
        var profile = Directory.CreateTempSubdirectory("eventstore-chromium-");
        try
        {
            var start = new ProcessStartInfo(FindExecutable())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={VirtualTimeBudgetMilliseconds}",
                     }.Concat(action).Append(url.AbsoluteUri))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"Chromium did not finish within {Timeout.TotalSeconds:0} s loading {url}; killed it.\n{await errors}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} loading {url}:\n{await errors}");
            }

            return (await output, await errors);
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
