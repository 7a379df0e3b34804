using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using Microsoft.Extensions.Options;

namespace EventStore.Benchmarks;

/// <summary>
/// Appends per second with concurrent writers, each on its own stream, one 1 KB event per append: through
/// <see cref="EventStoreClient"/> over HTTP, and straight through the SQLite adapter in-process.
/// </summary>
internal static class AppendBenchmark
{
    public const int Writers = 16;
    private const int AppendsPerWriter = 250;
    private const int WarmUpAppendsPerWriter = 20;
    private const int Rounds = 3;

    public static async Task<(double Http, double InProcess)> RunAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        var client = new EventStoreClient(http);
        await WritersAsync(WarmUpAppendsPerWriter, (stream, revision) => client.AppendAsync("bench-append", stream, revision, Payloads.NewEvent()));

        using var database = new TemporaryDatabase("eventstore-bench");
        var storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = database.Path }), TimeProvider.System);
        await storage.InitializeAsync(CancellationToken.None);
        Task AppendInProcess(Guid stream, int revision) =>
            storage.AppendAsync(StreamAppend.Create("bench-append", stream, revision, [Payloads.EventToAppend()]), CancellationToken.None);
        await WritersAsync(WarmUpAppendsPerWriter, AppendInProcess);
        var rates = await Measure.MedianRatesAsync(
            Rounds,
            () => WritersAsync(AppendsPerWriter, (stream, revision) => client.AppendAsync("bench-append", stream, revision, Payloads.NewEvent())),
            () => WritersAsync(AppendsPerWriter, AppendInProcess));
        return (rates[0], rates[1]);
    }

    /// <summary>Runs <see cref="Writers"/> writers, each appending <paramref name="appends"/> times to a new stream.</summary>
    private static async Task<long> WritersAsync(int appends, Func<Guid, int, Task> append)
    {
        var writers = Enumerable.Range(0, Writers).Select(async _ =>
        {
            var stream = Guid.NewGuid();
            for (var revision = 0; revision < appends; revision++)
            {
                await append(stream, revision);
            }
        });
        await Task.WhenAll(writers);
        return (long)Writers * appends;
    }
}
