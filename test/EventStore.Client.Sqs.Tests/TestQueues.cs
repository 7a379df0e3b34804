using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using EventStore.Testing;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>Queues in fauxqs with unique names, and what the tests need to fill and inspect them.</summary>
internal sealed class TestQueues : IDisposable
{
    private TestQueues(Fauxqs fauxqs)
    {
        Fauxqs = fauxqs;
        Sqs = CreateClient(fauxqs);
    }

    public Fauxqs Fauxqs { get; }

    public AmazonSQSClient Sqs { get; }

    public static async Task<TestQueues> SharedAsync() => new(await Fauxqs.SharedAsync());

    public static TestQueues For(Fauxqs fauxqs) => new(fauxqs);

    public static AmazonSQSClient CreateClient(Fauxqs fauxqs) =>
        new(Fauxqs.Credentials, new AmazonSQSConfig { ServiceURL = fauxqs.ServiceUrl.ToString(), AuthenticationRegion = Fauxqs.Region });

    /// <summary>
    /// A body whose StreamId escapes a lone surrogate: valid JSON, and valid for SQS (the escape is plain ASCII), but no
    /// text once unescaped, which System.Text.Json reports only when the string is read.
    /// </summary>
    public const string PoisonBody = """{"StreamId":"\ud800","StreamType":"order","StreamRevision":"1"}""";

    public static StreamNotification NewNotification(int revision = 1) => new(Guid.NewGuid(), "order", revision);

    /// <summary>Creates a queue; with <paramref name="maxReceiveCount"/>, also its dead-letter queue.</summary>
    public async Task<TestQueue> CreateAsync(int visibilityTimeoutSeconds = 30, int? maxReceiveCount = null, string? name = null)
    {
        name ??= $"t-{Guid.NewGuid():N}";
        string? deadLetterUrl = null;
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture) };
        if (maxReceiveCount is { } count)
        {
            deadLetterUrl = (await Sqs.CreateQueueAsync(name + "-dlq")).QueueUrl;
            var arn = (await Sqs.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"])).QueueARN;
            attributes["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = arn, maxReceiveCount = count.ToString(CultureInfo.InvariantCulture) });
        }

        var url = (await Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes })).QueueUrl;
        return new TestQueue(Sqs, url, deadLetterUrl);
    }

    public void Dispose() => Sqs.Dispose();
}
