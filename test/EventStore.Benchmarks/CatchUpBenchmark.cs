using System.Collections.Concurrent;
using System.Diagnostics;
using EventStore.Testing;
using ServerlessEventStore.Client;
using Percentiles = EventStore.Benchmarks.NotificationLatencyBenchmark.Percentiles;

namespace EventStore.Benchmarks;

/// <summary>
/// Catch-up subscriptions on both stores, each server in its own process: how fast a subscriber replays a long history
/// of one stream type (100,000 1 KB events across 1,000 streams, written by 16 concurrent writers), and the latency from
/// an append to a live subscriber (16 writers appending, paced, while one subscriber follows). Within each round the
/// stores take turns, so neither gets a warmer machine; the figures are the median and range over the rounds.
/// </summary>
internal static class CatchUpBenchmark
{
    public const int HistoryEvents = 100_000;
    public const int Streams = 1_000;
    public const int Writers = 16;
    public const int Rounds = 3;
    public const int LiveAppendsPerRound = 320;
    public const int LiveAppendsPerSecond = 80;
    private const int PageSize = 1000;
    private const string HistoryType = "bench-history";
    private static readonly SubscriptionOptions LivePolling = new() { PollInterval = TimeSpan.FromMilliseconds(100), PageSize = PageSize };

    public static async Task<IReadOnlyList<Result>> RunAsync(Uri sqliteServer)
    {
        await using var dynamoDb = await DynamoDbLocal.StartAsync(dataDirectory: null);
        await using var dynamoDbServer = await ServerProcess.StartAsync(new ServerProcessSettings
        {
            Environment = new Dictionary<string, string>
            {
                ["EventStore__Storage"] = "DynamoDb",
                ["EventStore__DynamoDb__TableName"] = "bench-catch-up",
                ["EventStore__DynamoDb__ServiceUrl"] = dynamoDb.ServiceUrl.ToString(),
                ["EventStore__DynamoDb__CreateTable"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        });
        var sides = new[] { ("embedded SQLite", sqliteServer), ("DynamoDB Local (settle window 2 s)", dynamoDbServer.BaseAddress) }
            .Select(side => new Side(side.Item1, new EventStoreClient(new HttpClient { BaseAddress = side.Item2 })))
            .ToList();

        foreach (var side in sides)
        {
            Console.Error.WriteLine($"seeding {HistoryEvents:N0} events on {side.Name}…");
            await SeedAsync(side.Client);
        }

        for (var round = 0; round < Rounds; round++)
        {
            foreach (var side in sides)
            {
                Console.Error.WriteLine($"round {round + 1}: {side.Name}");
                side.ReplayRates.Add(await ReplayAsync(side.Client));
                side.Latencies.Add(await LiveAsync(side.Client));
            }
        }

        return [.. sides.Select(side => new Result(side.Name, side.ReplayRates, side.Latencies))];
    }

    private static async Task SeedAsync(EventStoreClient client)
    {
        // Every writer fills its share of the streams, one append of up to 99 events at a time, all at once.
        var perStream = HistoryEvents / Streams;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var s = w; s < Streams; s += Writers)
            {
                var stream = Guid.NewGuid();
                var revision = 0;
                while (revision < perStream)
                {
                    var batch = Math.Min(EventStoreClient.MaxEventsPerAppend, perStream - revision);
                    revision = (await client.AppendAsync(HistoryType, stream, revision, Enumerable.Range(0, batch).Select(_ => Payloads.NewEvent()).ToList())).Revision;
                }
            }
        })));

        // On DynamoDB the history is readable once it is older than the settle window.
        await Poll.UntilAsync(async () => await CountAsync(client) == HistoryEvents, TimeSpan.FromMinutes(2), () => $"the {HistoryEvents:N0} seeded events readable");
    }

    private static async Task<int> CountAsync(EventStoreClient client)
    {
        var count = 0;
        await foreach (var page in client.GetStreamTypeEventsAsync(HistoryType).AsPages(pageSizeHint: PageSize))
        {
            count += page.Values.Count;
        }

        return count;
    }

    /// <summary>Events per second replaying the whole history from the start, in pages of 1,000.</summary>
    private static async Task<double> ReplayAsync(EventStoreClient client)
    {
        var stopwatch = Stopwatch.StartNew();
        var count = await CountAsync(client);
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Milliseconds from each append's request to its event reaching a subscriber that follows live.</summary>
    private static async Task<Percentiles> LiveAsync(EventStoreClient client)
    {
        var type = $"bench-live-{Guid.NewGuid():N}";
        var arrivals = new ConcurrentDictionary<Guid, long>();
        using var stop = new CancellationTokenSource();
        var subscriber = Task.Run(async () =>
        {
            try
            {
                await foreach (var subscribed in client.SubscribeToStreamTypeAsync(type, null, LivePolling, stop.Token))
                {
                    arrivals[subscribed.Event.EventId!.Value] = Stopwatch.GetTimestamp();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped once every event arrived.
            }
        });

        // 16 writers, each on streams of its own, together at the paced rate: the latency is the path's, not a backlog's.
        var sent = new ConcurrentDictionary<Guid, long>();
        var interval = TimeSpan.FromSeconds((double)Writers / LiveAppendsPerSecond);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var stream = Guid.NewGuid();
            using var pace = new PeriodicTimer(interval);
            await Task.Delay(interval * w / Writers);
            for (var i = 0; i < LiveAppendsPerRound / Writers; i++)
            {
                await pace.WaitForNextTickAsync();
                var newEvent = Payloads.NewEvent();
                sent[newEvent.EventId!.Value] = Stopwatch.GetTimestamp();
                await client.AppendAsync(type, stream, i, newEvent);
            }
        })));
        await Poll.UntilAsync(() => arrivals.Count >= sent.Count, TimeSpan.FromMinutes(1), () => $"{sent.Count} live events at the subscriber, {arrivals.Count} so far");
        await stop.CancelAsync();
        await subscriber;
        return Percentiles.Of([.. sent.Select(s => Stopwatch.GetElapsedTime(s.Value, arrivals[s.Key]).TotalMilliseconds)]);
    }

    /// <summary>One store's figures over the rounds.</summary>
    /// <param name="Name">The store.</param>
    /// <param name="ReplayRates">Events/s replaying the history, one per round.</param>
    /// <param name="Latencies">Append → live subscriber, one per round.</param>
    internal sealed record Result(string Name, IReadOnlyList<double> ReplayRates, IReadOnlyList<Percentiles> Latencies);

    private sealed record Side(string Name, EventStoreClient Client)
    {
        public List<double> ReplayRates { get; } = [];

        public List<Percentiles> Latencies { get; } = [];
    }
}
