using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventStore.Testing;
using Microsoft.Data.Sqlite;

namespace EventStore.Benchmarks;

/// <summary>
/// What the server's bounded waits cost and keep: a server process of the given build (the one built here, or another
/// through <c>EVENTSTORE_SERVER_DLL</c>, for a before/after comparison), measured from outside.
/// <list type="bullet">
/// <item>Timed-out appends: another process holds the SQLite write lock, the busy timeout is 3 s, 8 appends are sent at
/// once; each one's time to its 503.</item>
/// <item>Descriptors: 300 concurrent appends queue behind that lock; the server's open files at their peak, and after.</item>
/// <item>Memory: 40 concurrent appends with 1 MB bodies (4 events of 250 KB), repeated 5 times; the server's resident
/// memory at idle, at its peak, and 30 s after the load.</item>
/// </list>
/// </summary>
internal static class LimitsBenchmark
{
    private const int TimedOutAppends = 8;
    private const int QueuedAppends = 300;
    private const int LargeAppends = 40;
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(3);

    public static async Task<string> RunAsync()
    {
        var report = new StringBuilder();
        var serverDll = Environment.GetEnvironmentVariable("EVENTSTORE_SERVER_DLL");
        await using var server = await ServerProcess.StartAsync(new ServerProcessSettings
        {
            ServerDll = serverDll,
            Environment = new Dictionary<string, string>
            {
                ["EventStore__Sqlite__BusyTimeout"] = BusyTimeout.ToString(),
                ["Logging__LogLevel__Default"] = "Warning",
            },
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        report.AppendLine(CultureInfo.InvariantCulture, $"server: {serverDll ?? ServerProcess.ServerDll}");

        // Warm up, and make the schema exist before another process locks the file.
        await AppendAsync(http, SmallBody());

        var latencies = await WhileLockedAsync(server.DatabasePath, async () =>
        {
            var appends = Enumerable.Range(0, TimedOutAppends).Select(_ => TimeAsync(() => AppendAsync(http, SmallBody()))).ToList();
            return await Task.WhenAll(appends);
        });
        var answers = string.Join(", ", latencies.Order().Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Elapsed.TotalSeconds:0.0} s ({l.Status})")));
        report.AppendLine(CultureInfo.InvariantCulture, $"timed-out appends (busy timeout {BusyTimeout.TotalSeconds:0} s, {TimedOutAppends} at once): {answers}");

        var idleFiles = server.CountOpenFiles();
        var peakFiles = idleFiles;
        var idleDatabaseFiles = server.CountOpenDatabaseFiles();
        var peakDatabaseFiles = idleDatabaseFiles;
        var queued = await WhileLockedAsync(server.DatabasePath, async () =>
        {
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakFiles = Math.Max(peakFiles, server.CountOpenFiles());
                    peakDatabaseFiles = Math.Max(peakDatabaseFiles, server.CountOpenDatabaseFiles());
                    await Task.Delay(20);
                }
            });
            var appends = Enumerable.Range(0, QueuedAppends).Select(_ => AppendAsync(http, SmallBody())).ToList();
            await Task.Delay(BusyTimeout / 2);
            await sampling.CancelAsync();
            await sampler;
            return appends;
        });
        await Task.WhenAll(queued);
        await Task.Delay(TimeSpan.FromSeconds(5));
        report.AppendLine(CultureInfo.InvariantCulture, $"open files, {QueuedAppends} appends queued (each on its own HTTP connection): all: idle {idleFiles}, peak {peakFiles}, 5 s later {server.CountOpenFiles()}; SQLite files: idle {idleDatabaseFiles}, peak {peakDatabaseFiles}, 5 s later {server.CountOpenDatabaseFiles()}");

        var idleRss = server.ResidentBytes();
        var peakRss = idleRss;
        var body = LargeBody();
        for (var round = 0; round < 5; round++)
        {
            var appends = Enumerable.Range(0, LargeAppends).Select(_ => AppendAsync(http, body)).ToList();
            while (!Task.WhenAll(appends).IsCompleted)
            {
                peakRss = Math.Max(peakRss, server.ResidentBytes());
                await Task.Delay(20);
            }

            await Task.WhenAll(appends);
        }

        await Task.Delay(TimeSpan.FromSeconds(30));
        report.AppendLine(CultureInfo.InvariantCulture, $"resident memory, {LargeAppends} concurrent 1 MB appends x 5: idle {Mib(idleRss)}, peak {Mib(peakRss)}, 30 s after {Mib(server.ResidentBytes())}");
        return report.ToString();
    }

    private static async Task<T> WhileLockedAsync<T>(string databasePath, Func<Task<T>> action)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);
        return await action();
    }

    private static async Task<(TimeSpan Elapsed, int Status)> TimeAsync(Func<Task<int>> request)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await request();
        return (Stopwatch.GetElapsedTime(started), status);
    }

    private static async Task<int> AppendAsync(HttpClient http, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri($"streams/limits/{Guid.NewGuid()}/events/1", UriKind.Relative), content);
        return (int)response.StatusCode;
    }

    private static string SmallBody() => "{\"event\":{\"eventId\":\"" + Guid.NewGuid() + "\",\"eventType\":\"e\",\"payload\":{\"n\":1}}}";

    private static string LargeBody()
    {
        var payload = new string('x', 250 * 1024);
        var events = Enumerable.Range(0, 4).Select(_ => $$"""{"eventType":"e","payload":"{{payload}}"}""");
        return $$"""{"events":[{{string.Join(',', events)}}]}""";
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0} MiB";
}
