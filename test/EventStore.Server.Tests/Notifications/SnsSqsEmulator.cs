using System.Globalization;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime.Signing;
using Amazon.SQS;
using Amazon.SQS.Model;
using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The shared fauxqs emulator as a test sees it: SNS through its Query API (signed with AWSSDK.Core's own
/// <see cref="SigV4SigningHandler"/>) and SQS through the AWS SDK. Every topic and queue gets a unique name.
/// </summary>
public sealed class SnsSqsEmulator : IDisposable
{
    private readonly HttpClient _sns;

    private SnsSqsEmulator(Fauxqs fauxqs)
    {
        Fauxqs = fauxqs;
        _sns = new HttpClient(new SigV4SigningHandler(Fauxqs.Credentials, RegionEndpoint.GetBySystemName(Fauxqs.Region), "sns", null));
        Sqs = new AmazonSQSClient(Fauxqs.Credentials, new AmazonSQSConfig { ServiceURL = fauxqs.ServiceUrl.ToString(), AuthenticationRegion = Fauxqs.Region });
    }

    public Fauxqs Fauxqs { get; }

    public AmazonSQSClient Sqs { get; }

    public static async Task<SnsSqsEmulator> StartAsync() => new(await Fauxqs.SharedAsync());

    /// <summary>The ARN fauxqs gives a topic of this name (it is known before the topic exists).</summary>
    public static string TopicArn(string name) => $"arn:aws:sns:{Fauxqs.Region}:000000000000:{name}";

    public async Task<string> CreateTopicAsync(string name)
    {
        var response = await CallSnsAsync("CreateTopic", ("Name", name));
        return response.Descendants().Single(e => e.Name.LocalName == "TopicArn").Value;
    }

    /// <summary>
    /// A queue with a dead-letter queue, subscribed to the topic with a filter policy on <c>StreamType</c> in the message
    /// body: the original's recommended consumer set-up.
    /// </summary>
    public async Task<QueueSubscription> SubscribeQueueAsync(string topicArn, string streamType)
    {
        var name = $"t-{Guid.NewGuid():N}";
        var deadLetters = await Sqs.CreateQueueAsync(name + "-dlq");
        var deadLetterArn = await QueueArnAsync(deadLetters.QueueUrl);
        var queue = await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{deadLetterArn}}","maxReceiveCount":"3"}""",
            },
        });
        var response = await CallSnsAsync(
            "Subscribe",
            ("TopicArn", topicArn),
            ("Protocol", "sqs"),
            ("Endpoint", await QueueArnAsync(queue.QueueUrl)),
            ("Attributes.entry.1.key", "FilterPolicy"),
            ("Attributes.entry.1.value", $$"""{"StreamType":["{{streamType}}"]}"""),
            ("Attributes.entry.2.key", "FilterPolicyScope"),
            ("Attributes.entry.2.value", "MessageBody"));
        response.Descendants().Single(e => e.Name.LocalName == "SubscriptionArn").Value.Should().StartWith(topicArn);
        return new QueueSubscription(Sqs, queue.QueueUrl, deadLetters.QueueUrl);
    }

    public void Dispose()
    {
        _sns.Dispose();
        Sqs.Dispose();
    }

    private async Task<string> QueueArnAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"]);
        return attributes.QueueARN;
    }

    private async Task<XDocument> CallSnsAsync(string action, params (string Name, string Value)[] parameters)
    {
        using var content = new FormUrlEncodedContent(
            new[] { ("Action", action), ("Version", "2010-03-31") }.Concat(parameters)
                .Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));
        using var response = await _sns.PostAsync(Fauxqs.ServiceUrl, content);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(string.Create(CultureInfo.InvariantCulture, $"SNS {action} answered {(int)response.StatusCode}: {body}"));
        return XDocument.Parse(body);
    }
}
