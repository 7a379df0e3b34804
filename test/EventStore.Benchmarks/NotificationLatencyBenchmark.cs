using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessEventStore.Client;
using EventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>
/// Latency from an append to its notification arriving in a subscribed SQS queue, through the whole local pipe: the
/// server's relay (server in its own process) — the outbox relay on embedded SQLite, or on DynamoDB Local the DynamoDB
/// Streams relay — publishing to SNS in the emulator fauxqs, which fans out to an SQS queue with a <c>StreamType</c>
/// filter policy, read by long-polling receivers. Appends go one at a time at a modest, paced rate, so each latency is
/// the pipe's, not a queue's backlog.
/// </summary>
internal static class NotificationLatencyBenchmark
{
    public const int Appends = 500;
    public const int AppendsPerSecond = 100;
    private const int WarmUpAppends = 50;
    private const int Receivers = 2;
    private const string StreamType = "bench-notify";

    public static async Task<(Percentiles FromAcknowledged, Percentiles FromSent)> RunAsync(bool onDynamoDb = false)
    {
        await using var emulator = await SnsSqsEmulator.StartAsync();
        var topicArn = await emulator.CreateTopicAsync($"bench-{Guid.NewGuid():N}");
        var queue = await emulator.SubscribeQueueAsync(topicArn, StreamType);
        var settings = new Dictionary<string, string>
        {
            ["EventStore__Notifications__SnsTopicArn"] = topicArn,
            ["EventStore__Notifications__SnsServiceUrl"] = emulator.ServiceUrl.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var dynamoDb = onDynamoDb ? await DynamoDbLocal.StartAsync(dataDirectory: null) : null;
        var checkpointPath = Path.Combine(Path.GetTempPath(), $"eventstore-bench-checkpoint-{Guid.NewGuid():N}.json");
        if (dynamoDb is not null)
        {
            settings["EventStore__Storage"] = "DynamoDb";
            settings["EventStore__DynamoDb__TableName"] = "bench-notify";
            settings["EventStore__DynamoDb__ServiceUrl"] = dynamoDb.ServiceUrl.ToString();
            settings["EventStore__DynamoDb__CreateTable"] = "true";
            settings["EventStore__Notifications__CheckpointPath"] = checkpointPath;
        }

        await using var server = await ServerProcess.StartAsync(new ServerProcessSettings { Environment = settings });

        var arrivals = new ConcurrentDictionary<(Guid, int), long>();
        using var stop = new CancellationTokenSource();
        var receivers = Enumerable.Range(0, Receivers).Select(_ => ReceiveAsync(queue, arrivals, stop.Token)).ToList();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new EventStoreClient(http);

        await AppendAsync(client, WarmUpAppends, arrivals);
        var (sent, acknowledged, streamId) = await AppendAsync(client, Appends, arrivals);
        await stop.CancelAsync();
        await Task.WhenAll(receivers);

        var fromAcknowledged = new List<double>();
        var fromSent = new List<double>();
        for (var revision = 1; revision <= Appends; revision++)
        {
            var arrived = arrivals[(streamId, revision)];
            fromAcknowledged.Add(Stopwatch.GetElapsedTime(acknowledged[revision - 1], arrived).TotalMilliseconds);
            fromSent.Add(Stopwatch.GetElapsedTime(sent[revision - 1], arrived).TotalMilliseconds);
        }

        // The server writes the checkpoint until it stops.
        await server.DisposeAsync();
        File.Delete(checkpointPath);
        return (Percentiles.Of(fromAcknowledged), Percentiles.Of(fromSent));
    }

    /// <summary>Appends <paramref name="count"/> events to a new stream at the paced rate and waits for every notification.</summary>
    private static async Task<(long[] Sent, long[] Acknowledged, Guid StreamId)> AppendAsync(
        EventStoreClient client, int count, ConcurrentDictionary<(Guid, int), long> arrivals)
    {
        var streamId = Guid.NewGuid();
        var sent = new long[count];
        var acknowledged = new long[count];
        var interval = TimeSpan.FromSeconds(1.0 / AppendsPerSecond);
        using var pace = new PeriodicTimer(interval);
        for (var revision = 0; revision < count; revision++)
        {
            await pace.WaitForNextTickAsync();
            sent[revision] = Stopwatch.GetTimestamp();
            await client.AppendAsync(StreamType, streamId, revision, Payloads.NewEvent());
            acknowledged[revision] = Stopwatch.GetTimestamp();
        }

        await Poll.UntilAsync(
            () => Enumerable.Range(1, count).All(revision => arrivals.ContainsKey((streamId, revision))),
            TimeSpan.FromSeconds(30),
            () => $"every notification of stream {streamId}");

        return (sent, acknowledged, streamId);
    }

    private static async Task ReceiveAsync(TestQueue queue, ConcurrentDictionary<(Guid, int), long> arrivals, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(20), cancellationToken: stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var message in messages)
            {
                var notification = message.Notification ?? throw message.FormatError!;
                arrivals.TryAdd((notification.StreamId, notification.StreamRevision), now);
            }

            await queue.AcknowledgeAsync(messages, CancellationToken.None);
        }
    }

    internal sealed record Percentiles(double P50, double P90, double P99, double Max)
    {
        public static Percentiles Of(List<double> samples)
        {
            var sorted = samples.Order().ToList();
            double At(double quantile) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(quantile * sorted.Count) - 1)];
            return new Percentiles(At(0.50), At(0.90), At(0.99), sorted[^1]);
        }
    }
}
