using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace EventStore.Testing;

/// <summary>
/// SNS and SQS in the emulator fauxqs (<see cref="Testing.Fauxqs"/>), as every test project and the benchmarks use them:
/// topics, queues (with a dead-letter queue if asked), subscriptions of a queue to a topic (enveloped or raw, with a
/// filter policy on <c>StreamType</c> in the message body), publishing, and SDK clients of SQS. SNS is called through its
/// Query API, signed with AWSSDK.Core's own <see cref="SigV4SigningHandler"/>, so no SNS package is needed. Names are
/// unique (<c>t-{guid}</c>) unless a test gives one. What a queue receives comes back as <see cref="QueueMessage"/>s,
/// read with the product's <c>StreamNotificationConverter</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SharedAsync"/> works on the test run's one fauxqs (started on first use); <see cref="StartAsync"/> starts
/// an own one, which a test may stop and restart (<see cref="Testing.Fauxqs"/>'s <c>StopAsync</c> / <c>RestartAsync</c>:
/// an outage; a restart empties it) and which <see cref="DisposeAsync"/> stops.
/// </para>
/// <para>
/// The usual set-ups: a queue to fill and drain by hand, <c>CreateQueueAsync(maxReceiveCount: 2)</c> and
/// <see cref="TestQueue.SendAsync(string)"/>; the store's consumer set-up (queue with dead-letter queue, subscribed with a
/// <c>StreamType</c> filter policy), <see cref="SubscribeQueueAsync"/> on <see cref="CreateTopicAsync"/>'s topic, whose
/// ARN and <see cref="ServiceUrl"/> are the server's <c>EventStore:Notifications:SnsTopicArn</c> and
/// <c>SnsServiceUrl</c>; then <see cref="TestQueue.ReceiveUntilAsync"/> for what the server published.
/// </para>
/// </remarks>
public sealed class SnsSqsEmulator : IAsyncDisposable
{
    private const string Account = "000000000000";
    private readonly Fauxqs? _fauxqs;
    private readonly bool _ownsFauxqs;
    private readonly HttpClient _sns;

    private SnsSqsEmulator(Uri serviceUrl, Fauxqs? fauxqs, bool ownsFauxqs)
    {
        ServiceUrl = serviceUrl;
        _fauxqs = fauxqs;
        _ownsFauxqs = ownsFauxqs;
        _sns = new HttpClient(new SigV4SigningHandler(Credentials, RegionEndpoint.GetBySystemName(Region), "sns", null));
        Sqs = CreateSqsClient();
    }

    /// <summary>Credentials the emulator accepts (it checks none).</summary>
    public static AWSCredentials Credentials => Fauxqs.Credentials;

    /// <summary>The region of the emulator's ARNs and queue URLs.</summary>
    public static string Region => Fauxqs.Region;

    /// <summary>The emulator's process.</summary>
    /// <exception cref="InvalidOperationException">The helper was made by <see cref="Connect"/>: this test run did not start the emulator.</exception>
    public Fauxqs Fauxqs => _fauxqs ?? throw new InvalidOperationException($"The emulator at {ServiceUrl} was not started by this test run.");

    /// <summary>The endpoint of SNS and SQS alike (an SDK client's <c>ServiceURL</c>, the server's <c>SnsServiceUrl</c>).</summary>
    public Uri ServiceUrl { get; }

    /// <summary>An SQS client of the emulator, disposed with this helper.</summary>
    public AmazonSQSClient Sqs { get; }

    /// <summary>The helper on the test run's shared fauxqs; disposing it leaves fauxqs running for the other tests.</summary>
    /// <returns>The helper.</returns>
    public static async Task<SnsSqsEmulator> SharedAsync()
    {
        var fauxqs = await Fauxqs.SharedAsync();
        return new SnsSqsEmulator(fauxqs.ServiceUrl, fauxqs, ownsFauxqs: false);
    }

    /// <summary>
    /// The helper on an emulator running at <paramref name="serviceUrl"/> that this test run did not start (e.g. the one
    /// of <c>samples/local-notifications.sh</c>); disposing the helper leaves it running.
    /// </summary>
    /// <param name="serviceUrl">The emulator's endpoint of SNS and SQS.</param>
    /// <returns>The helper.</returns>
    public static SnsSqsEmulator Connect(Uri serviceUrl) => new(serviceUrl, fauxqs: null, ownsFauxqs: false);

    /// <summary>The helper on an own fauxqs, started now (to stop and restart); disposing the helper stops it.</summary>
    /// <returns>The helper.</returns>
    public static async Task<SnsSqsEmulator> StartAsync()
    {
        var fauxqs = await Fauxqs.StartAsync();
        return new SnsSqsEmulator(fauxqs.ServiceUrl, fauxqs, ownsFauxqs: true);
    }

    /// <summary>The ARN the emulator gives a topic of this name (known before the topic exists).</summary>
    /// <param name="name">The topic's name.</param>
    /// <returns>The ARN.</returns>
    public static string TopicArn(string name) => $"arn:aws:sns:{Region}:{Account}:{name}";

    /// <summary>The configuration of an SQS client of this emulator, e.g. for a client that a test derives from <see cref="AmazonSQSClient"/>.</summary>
    /// <returns>A new configuration.</returns>
    public AmazonSQSConfig CreateSqsConfig() => new() { ServiceURL = ServiceUrl.ToString(), AuthenticationRegion = Region };

    /// <summary>A new SQS client of this emulator.</summary>
    /// <returns>The client; dispose it when done.</returns>
    public AmazonSQSClient CreateSqsClient() => new(Credentials, CreateSqsConfig());

    /// <summary>Creates a topic.</summary>
    /// <param name="name">Its name; <c>t-{guid}</c> when omitted.</param>
    /// <returns>Its ARN.</returns>
    public async Task<string> CreateTopicAsync(string? name = null)
    {
        var response = await CallSnsAsync("CreateTopic", ("Name", name ?? NewName()));
        return Value(response, "TopicArn");
    }

    /// <summary>Publishes <paramref name="message"/> to the topic, as the store's relay does.</summary>
    /// <param name="topicArn">The topic.</param>
    /// <param name="message">The message, e.g. <c>StreamNotificationConverter.ToMessageBody(…)</c>.</param>
    /// <param name="stringAttributes">
    /// Message attributes of type <c>String</c> by name (the relay sends <c>StreamType</c>); an enveloped delivery
    /// carries them in <see cref="QueueMessage.MessageAttributes"/>.
    /// </param>
    /// <returns>The SNS message id.</returns>
    public async Task<string> PublishAsync(string topicArn, string message, IReadOnlyDictionary<string, string>? stringAttributes = null)
    {
        var parameters = new List<(string, string)> { ("TopicArn", topicArn), ("Message", message) };
        var number = 0;
        foreach (var (name, value) in stringAttributes ?? new Dictionary<string, string>())
        {
            var entry = string.Create(CultureInfo.InvariantCulture, $"MessageAttributes.entry.{++number}");
            parameters.Add(($"{entry}.Name", name));
            parameters.Add(($"{entry}.Value.DataType", "String"));
            parameters.Add(($"{entry}.Value.StringValue", value));
        }

        var response = await CallSnsAsync("Publish", [.. parameters]);
        return Value(response, "MessageId");
    }

    /// <summary>Creates a queue; with <paramref name="maxReceiveCount"/>, first its dead-letter queue (<c>{name}-dlq</c>).</summary>
    /// <param name="name">Its name; <c>t-{guid}</c> when omitted (a restarted emulator gives the same name the same URL).</param>
    /// <param name="visibilityTimeout">Its default visibility timeout (whole seconds); SQS's 30 s when omitted.</param>
    /// <param name="maxReceiveCount">Receives after which a message moves to the dead-letter queue; no dead-letter queue when omitted.</param>
    /// <returns>The queue.</returns>
    public async Task<TestQueue> CreateQueueAsync(string? name = null, TimeSpan? visibilityTimeout = null, int? maxReceiveCount = null)
    {
        name ??= NewName();
        var attributes = new Dictionary<string, string>();
        if (visibilityTimeout is { } visibility)
        {
            attributes["VisibilityTimeout"] = ((int)visibility.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        string? deadLetterUrl = null;
        if (maxReceiveCount is { } count)
        {
            deadLetterUrl = (await Sqs.CreateQueueAsync(name + "-dlq")).QueueUrl;
            attributes["RedrivePolicy"] = JsonSerializer.Serialize(new
            {
                deadLetterTargetArn = await QueueArnAsync(deadLetterUrl),
                maxReceiveCount = count.ToString(CultureInfo.InvariantCulture),
            });
        }

        var url = (await Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes })).QueueUrl;
        return new TestQueue(Sqs, url, await QueueArnAsync(url), deadLetterUrl);
    }

    /// <summary>A queue that exists already (e.g. one made by the emulator's start-up), without a dead-letter queue.</summary>
    /// <param name="queueUrl">Its URL.</param>
    /// <returns>The queue.</returns>
    public async Task<TestQueue> OpenQueueAsync(string queueUrl) => new(Sqs, queueUrl, await QueueArnAsync(queueUrl), deadLetterQueueUrl: null);

    /// <summary>Subscribes <paramref name="queue"/> to the topic.</summary>
    /// <param name="topicArn">The topic.</param>
    /// <param name="queue">The queue.</param>
    /// <param name="streamType">With it, a filter policy <c>{"StreamType":[…]}</c> in message-body scope: the queue gets only that type's notifications.</param>
    /// <param name="rawMessageDelivery">Deliver the published message as the body itself, not in SNS's envelope.</param>
    /// <returns>The subscription's ARN.</returns>
    public async Task<string> SubscribeAsync(string topicArn, TestQueue queue, string? streamType = null, bool rawMessageDelivery = false)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var attributes = new List<(string Key, string Value)>();
        if (streamType is not null)
        {
            attributes.Add(("FilterPolicy", JsonSerializer.Serialize(new { StreamType = new[] { streamType } })));
            attributes.Add(("FilterPolicyScope", "MessageBody"));
        }

        if (rawMessageDelivery)
        {
            attributes.Add(("RawMessageDelivery", "true"));
        }

        var parameters = new List<(string, string)> { ("TopicArn", topicArn), ("Protocol", "sqs"), ("Endpoint", queue.QueueArn) };
        for (var i = 0; i < attributes.Count; i++)
        {
            var entry = string.Create(CultureInfo.InvariantCulture, $"Attributes.entry.{i + 1}");
            parameters.Add(($"{entry}.key", attributes[i].Key));
            parameters.Add(($"{entry}.value", attributes[i].Value));
        }

        var subscriptionArn = Value(await CallSnsAsync("Subscribe", [.. parameters]), "SubscriptionArn");
        return subscriptionArn.StartsWith(topicArn, StringComparison.Ordinal)
            ? subscriptionArn
            : throw new InvalidOperationException($"SNS answered Subscribe to {topicArn} with the subscription {subscriptionArn}.");
    }

    /// <summary>
    /// The store's recommended consumer set-up: a new queue with a dead-letter queue, subscribed to the topic (enveloped)
    /// with a filter policy on <paramref name="streamType"/> in the message body.
    /// </summary>
    /// <param name="topicArn">The topic.</param>
    /// <param name="streamType">The stream type the queue gets notifications of.</param>
    /// <param name="maxReceiveCount">Receives after which a message moves to the dead-letter queue.</param>
    /// <returns>The queue.</returns>
    public async Task<TestQueue> SubscribeQueueAsync(string topicArn, string streamType, int maxReceiveCount = 3)
    {
        var queue = await CreateQueueAsync(maxReceiveCount: maxReceiveCount);
        await SubscribeAsync(topicArn, queue, streamType);
        return queue;
    }

    /// <summary>Disposes the clients, and stops the emulator if this helper started it.</summary>
    /// <returns>A task completing when done.</returns>
    public async ValueTask DisposeAsync()
    {
        _sns.Dispose();
        Sqs.Dispose();
        if (_ownsFauxqs && _fauxqs is not null)
        {
            await _fauxqs.DisposeAsync();
        }
    }

    private static string NewName() => $"t-{Guid.NewGuid():N}";

    private static string Value(XDocument document, string name) =>
        document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value
        ?? throw new InvalidOperationException($"SNS answered without {name}: {document}");

    private async Task<string> QueueArnAsync(string queueUrl) => (await Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;

    private async Task<XDocument> CallSnsAsync(string action, params (string Name, string Value)[] parameters)
    {
        using var content = new FormUrlEncodedContent(
            new[] { ("Action", action), ("Version", "2010-03-31") }.Concat(parameters)
                .Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));
        using var response = await _sns.PostAsync(ServiceUrl, content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? XDocument.Parse(body)
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"SNS {action} answered {(int)response.StatusCode}: {body}"));
    }
}
