using Amazon.CDK;
using Amazon.CDK.AWS.SNS;

namespace EventStore.Infrastructure.Tests;

/// <summary>A consumer's stack: the event store's topic imported by ARN, one filtered raw subscription and one unfiltered enveloped one.</summary>
public sealed class NotificationSubscriptionFixture : SynthesizedTemplate
{
    public const string TopicArn = "arn:aws:sns:eu-central-1:123456789012:event-store-notifications";

    public NotificationSubscriptionFixture()
    {
        var stack = new Stack(App, "ConsumerTest", new StackProps { Env = Env });
        var topic = Topic.FromTopicArn(stack, "EventStoreTopic", TopicArn);
        Orders = new NotificationSubscription(stack, "Orders", new NotificationSubscriptionProps
        {
            Topic = topic,
            StreamTypes = ["order", "invoice"],
            MaxReceiveCount = 3,
        });
        Everything = new NotificationSubscription(stack, "Everything", new NotificationSubscriptionProps
        {
            Topic = topic,
            RawMessageDelivery = false,
        });
        Synthesize(stack);
    }

    public NotificationSubscription Orders { get; }

    public NotificationSubscription Everything { get; }
}
