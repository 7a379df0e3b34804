using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EventStore.Benchmarks;

/// <summary>
/// The server as users run it: its own process (the built EventStore.Server.dll), on a loopback port, with a fresh SQLite
/// file. Keeping it out of the harness process means the harness measures the client's time and memory only.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _databasePath;
    private bool _disposed;

    private ServerProcess(Process process, Uri baseAddress, string databasePath)
    {
        _process = process;
        BaseAddress = baseAddress;
        _databasePath = databasePath;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(string serverDll, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var databasePath = Path.Combine(Path.GetTempPath(), $"eventstore-bench-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet", $"\"{serverDll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's content root, so that it reads its own appsettings.json as when deployed.
            WorkingDirectory = Path.GetDirectoryName(serverDll),
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["EventStore__Sqlite__Path"] = databasePath;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[server] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient { BaseAddress = baseAddress };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode}.");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("liveness-check", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return new ServerProcess(process, baseAddress, databasePath);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The server did not answer its liveness check within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a caller may stop the server early (e.g. to clean up files it writes) and dispose again.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databasePath + suffix);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
