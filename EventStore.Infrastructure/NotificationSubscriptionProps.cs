using Amazon.CDK;
using Amazon.CDK.AWS.SNS;

namespace EventStore.Infrastructure;

/// <summary>Settings of <see cref="NotificationSubscription"/>.</summary>
public sealed class NotificationSubscriptionProps
{
    /// <summary>
    /// The event store's notification topic: <see cref="NotificationPipe.Topic"/>, or in another stack
    /// <c>Topic.FromTopicArn(scope, id, arn)</c> with the stack output <c>EsSnsTopic</c>.
    /// </summary>
    public required ITopic Topic { get; init; }

    /// <summary>The stream types whose notifications the queue receives; empty (the default) for all.</summary>
    public IReadOnlyList<string> StreamTypes { get; init; } = [];

    /// <summary>
    /// Deliver the notification itself as the message body (the default); <c>false</c> wraps it in SNS's JSON envelope.
    /// The client's converter reads both.
    /// </summary>
    public bool RawMessageDelivery { get; init; } = true;

    /// <summary>Receives of a message before it moves to the dead-letter queue.</summary>
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>The queue's visibility timeout: longer than the consumer's handling of one notification.</summary>
    public Duration VisibilityTimeout { get; init; } = Duration.Seconds(60);

    /// <summary>How long the dead-letter queue keeps a message (SQS allows at most 14 days).</summary>
    public Duration DeadLetterRetention { get; init; } = Duration.Days(14);
}
