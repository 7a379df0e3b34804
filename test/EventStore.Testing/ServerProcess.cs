using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EventStore.Testing;

/// <summary>
/// The server as users run it: its own process (the built <c>ServerlessEventStore.Server.dll</c> next to the test binaries,
/// or the published server that <see cref="ServerVariable"/> names), on a free loopback port, with a fresh SQLite file (<see cref="TemporaryDatabase"/>) unless the environment names another
/// store. Its output is kept, for assertions on its log and for the message of a failed start. Started through
/// <see cref="LocalProcess.Start"/>, so it does not outlive the test process; stopped (and its database deleted) on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly TemporaryDatabase _database;
    private bool _disposed;

    private ServerProcess(Process process, StringBuilder output, Uri baseAddress, TemporaryDatabase database)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        _database = database;
    }

    /// <summary>
    /// The environment variable naming a published server (e.g. the native executable of
    /// <c>dotnet publish -r linux-x64</c>) that every server process of the test run is, including the fixtures'
    /// servers (<see cref="EventStoreServerFixture"/>), instead of the server built with the tests.
    /// </summary>
    public const string ServerVariable = "EVENTSTORE_TEST_SERVER";

    /// <summary>
    /// The server's program: the published server <see cref="ServerVariable"/> names, else the one built next to the test
    /// binaries. A <c>.dll</c> is run with <c>dotnet</c>, anything else as the executable it is.
    /// </summary>
    public static string ServerDll { get; } =
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } published
            ? Path.GetFullPath(published)
            : Path.Combine(AppContext.BaseDirectory, "ServerlessEventStore.Server.dll");

    /// <summary>Whether the test run uses a published server (<see cref="ServerVariable"/>) rather than the one built with the tests.</summary>
    public static bool IsPublishedServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 };

    /// <summary>Address of the running server, with a trailing slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the server wrote to its standard output and error so far.</summary>
    public string Output => LocalProcess.Text(_output);

    /// <summary>Starts the server and waits until it answers its liveness check.</summary>
    /// <param name="settings">How to run it.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">It exited or did not answer within 60 s; the message holds its output.</exception>
    public static async Task<ServerProcess> StartAsync(ServerProcessSettings? settings = null)
    {
        settings ??= new ServerProcessSettings();
        var port = LocalProcess.FreePort();
        var database = new TemporaryDatabase("eventstore-process");
        var output = new StringBuilder();
        var (fileName, arguments, workingDirectory, environment) = Command(settings, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = string.Join(';', [$"http://127.0.0.1:{port}", .. settings.AdditionalUrls]),
            ["EventStore__Sqlite__Path"] = database.Path,
        });
        Process process;
        try
        {
            process = LocalProcess.Start(fileName, arguments, workingDirectory, output, environment);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        var server = new ServerProcess(process, output, new Uri($"http://127.0.0.1:{port}/"), database);
        try
        {
            using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"The server exited with code {process.ExitCode}:\n{server.Output}");
                    }

                    try
                    {
                        using var response = await probe.GetAsync(new Uri("liveness-check", UriKind.Relative));
                        return response.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
                    {
                        // Not listening yet, or too busy starting to answer within the probe's timeout (on a loaded
                        // machine): both are "not yet"; the poll's 60 s is the patience.
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                () => $"The server did not answer its liveness check:\n{server.Output}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the server until it exits by itself, e.g. because it is misconfigured.</summary>
    /// <param name="settings">How to run it.</param>
    /// <param name="timeout">How long it may run; it is stopped then, and the exit code is -1.</param>
    /// <returns>Its exit code and output.</returns>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(ServerProcessSettings settings, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (fileName, arguments, workingDirectory, environment) =
            Command(settings, new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LocalProcess.FreePort()}" });
        return LocalProcess.RunAsync(fileName, arguments, workingDirectory, timeout, environment);
    }

    /// <summary>The number of file descriptors the server holds open (Linux).</summary>
    /// <returns>The count.</returns>
    public int CountOpenFiles() => Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;

    /// <summary>The number of file descriptors the server holds on its SQLite files (database, WAL, shared memory).</summary>
    /// <returns>The count.</returns>
    public int CountOpenDatabaseFiles() =>
        Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd")
            .Select(descriptor => new FileInfo(descriptor).LinkTarget)
            .Count(target => target is not null && target.StartsWith(_database.Path, StringComparison.Ordinal));

    /// <summary>The server's resident memory (Linux, <c>VmRSS</c> of <c>/proc/{pid}/status</c>).</summary>
    /// <returns>The resident set size in bytes.</returns>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The SQLite file the server stores in (unless its environment names another).</summary>
    public string DatabasePath => _database.Path;

    /// <summary>Stops the server and deletes its database.</summary>
    /// <returns>A task completing when it has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await LocalProcess.StopAsync(_process);
        _process.Dispose();
        _database.Dispose();
    }

    /// <summary>The command line and environment of the server for <paramref name="settings"/>.</summary>
    private static (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment) Command(
        ServerProcessSettings settings, Dictionary<string, string> defaults)
    {
        var environment = new Dictionary<string, string>(defaults) { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        foreach (var (name, value) in settings.Environment)
        {
            environment[name] = value;
        }

        var serverDll = settings.ServerDll ?? ServerDll;
        var workingDirectory = settings.WorkingDirectory ?? Path.GetDirectoryName(serverDll)!;
        // A .dll runs on the dotnet host; a native executable runs by itself.
        string[] command = serverDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? ["dotnet", serverDll, .. settings.Arguments]
            : [serverDll, .. settings.Arguments];
        if (settings.OpenFileLimit is { } limit)
        {
            // A soft limit of the server's own (bash's ulimit), as a host would set it; exec keeps the process the server.
            var quoted = string.Join(' ', command.Select(argument => $"'{argument}'"));
            return ("bash", ["-c", string.Create(CultureInfo.InvariantCulture, $"ulimit -n {limit} && exec {quoted}")], workingDirectory, environment);
        }

        return (command[0], command[1..], workingDirectory, environment);
    }
}
