using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace EventStore.Infrastructure;

/// <summary>
/// A consumer's queue of stream notifications: an SQS queue subscribed to the event store's topic, filtered by
/// <c>StreamType</c> in the message body (the pipe's message has no attributes), with a dead-letter queue for
/// notifications the consumer failed to handle <see cref="NotificationSubscriptionProps.MaxReceiveCount"/> times. The
/// queue's policy lets the topic, and only it, send to the queue.
/// </summary>
public sealed class NotificationSubscription : Construct
{
    /// <summary>Creates the queues and the subscription.</summary>
    /// <param name="scope">The parent construct.</param>
    /// <param name="id">The construct id.</param>
    /// <param name="props">The settings.</param>
    public NotificationSubscription(Construct scope, string id, NotificationSubscriptionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.MaxReceiveCount is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(props), props.MaxReceiveCount, "MaxReceiveCount must be within 1–1000.");
        }

        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            RetentionPeriod = props.DeadLetterRetention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        Queue = new Queue(this, "Queue", new QueueProps
        {
            VisibilityTimeout = props.VisibilityTimeout,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = props.MaxReceiveCount },
        });

        // SqsSubscription also adds the queue policy allowing sqs:SendMessage from sns.amazonaws.com for this topic only.
        props.Topic.AddSubscription(new SqsSubscription(Queue, new SqsSubscriptionProps
        {
            RawMessageDelivery = props.RawMessageDelivery,
            FilterPolicyWithMessageBody = props.StreamTypes.Count == 0
                ? null
                : new Dictionary<string, FilterOrPolicy>
                {
                    ["StreamType"] = FilterOrPolicy.Filter(SubscriptionFilter.StringFilter(new StringConditions
                    {
                        Allowlist = [.. props.StreamTypes],
                    })),
                },
        }));
    }

    /// <summary>The consumer's queue (<c>EventStoreNotificationOptions.QueueUrl</c> is its URL).</summary>
    public Queue Queue { get; }

    /// <summary>The queue's dead-letter queue.</summary>
    public Queue DeadLetterQueue { get; }
}
