using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime.Signing;
using Amazon.SQS;
using Amazon.SQS.Model;
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
        await using var fauxqs = await Fauxqs.StartAsync();
        using var sqs = new AmazonSQSClient(Fauxqs.Credentials, new AmazonSQSConfig { ServiceURL = fauxqs.ServiceUrl.ToString(), AuthenticationRegion = Fauxqs.Region });
        var (topicArn, queueUrl) = await SubscribeQueueAsync(fauxqs, sqs);
        var settings = new Dictionary<string, string>
        {
            ["EventStore__Notifications__SnsTopicArn"] = topicArn,
            ["EventStore__Notifications__SnsServiceUrl"] = fauxqs.ServiceUrl.ToString(),
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
        var receivers = Enumerable.Range(0, Receivers).Select(_ => ReceiveAsync(sqs, queueUrl, arrivals, stop.Token)).ToList();
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

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (Enumerable.Range(1, count).Any(revision => !arrivals.ContainsKey((streamId, revision))))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Notifications of stream {streamId} missing after 30 s.");
            }

            await Task.Delay(10);
        }

        return (sent, acknowledged, streamId);
    }

    private static async Task ReceiveAsync(AmazonSQSClient sqs, string queueUrl, ConcurrentDictionary<(Guid, int), long> arrivals, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            ReceiveMessageResponse response;
            try
            {
                response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 20 }, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            var messages = response.Messages ?? [];
            foreach (var message in messages)
            {
                using var envelope = JsonDocument.Parse(message.Body);
                using var notification = JsonDocument.Parse(envelope.RootElement.GetProperty("Message").GetString()!);
                var fields = notification.RootElement;
                arrivals.TryAdd((fields.GetProperty("StreamId").GetGuid(), int.Parse(fields.GetProperty("StreamRevision").GetString()!, System.Globalization.CultureInfo.InvariantCulture)), now);
            }

            if (messages.Count > 0)
            {
                await sqs.DeleteMessageBatchAsync(queueUrl, messages.Select((m, i) => new DeleteMessageBatchRequestEntry($"m{i}", m.ReceiptHandle)).ToList(), CancellationToken.None);
            }
        }
    }

    /// <summary>A topic and a queue subscribed to it with a filter policy on the stream type (message body), via SNS's Query API.</summary>
    private static async Task<(string TopicArn, string QueueUrl)> SubscribeQueueAsync(Fauxqs fauxqs, AmazonSQSClient sqs)
    {
        using var sns = new HttpClient(new SigV4SigningHandler(Fauxqs.Credentials, RegionEndpoint.GetBySystemName(Fauxqs.Region), "sns", null));
        async Task<XDocument> CallAsync(params (string Name, string Value)[] parameters)
        {
            using var content = new FormUrlEncodedContent(parameters.Append(("Version", "2010-03-31")).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));
            using var response = await sns.PostAsync(fauxqs.ServiceUrl, content);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? XDocument.Parse(body) : throw new InvalidOperationException($"SNS answered {(int)response.StatusCode}: {body}");
        }

        var name = $"bench-{Guid.NewGuid():N}";
        var topicArn = (await CallAsync(("Action", "CreateTopic"), ("Name", name))).Descendants().Single(e => e.Name.LocalName == "TopicArn").Value;
        var queueUrl = (await sqs.CreateQueueAsync(name)).QueueUrl;
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        await CallAsync(
            ("Action", "Subscribe"), ("TopicArn", topicArn), ("Protocol", "sqs"), ("Endpoint", queueArn),
            ("Attributes.entry.1.key", "FilterPolicy"), ("Attributes.entry.1.value", $$"""{"StreamType":["{{StreamType}}"]}"""),
            ("Attributes.entry.2.key", "FilterPolicyScope"), ("Attributes.entry.2.value", "MessageBody"));
        return (topicArn, queueUrl);
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
