using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.SNS;
using static EventStore.Infrastructure.Tests.SynthesizedTemplate;

namespace EventStore.Infrastructure.Tests;

public sealed class NotificationSubscriptionTests(NotificationSubscriptionFixture fixture) : IClassFixture<NotificationSubscriptionFixture>
{
    private readonly Template _template = fixture.Template;

    [Fact]
    public void Subscription_CreatesAQueueAndADeadLetterQueueEach()
    {
        _template.ResourceCountIs("AWS::SQS::Queue", 4);
        _template.ResourceCountIs("AWS::SNS::Subscription", 2);
    }

    [Fact]
    public void Queue_MovesAMessageToTheDeadLetterQueueAfterMaxReceiveCount()
    {
        _template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["RedrivePolicy"] = new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = GetAtt(LogicalId(fixture.Orders.DeadLetterQueue), "Arn"),
                ["maxReceiveCount"] = 3,
            },
        });
        _template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["RedrivePolicy"] = new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = GetAtt(LogicalId(fixture.Everything.DeadLetterQueue), "Arn"),
                ["maxReceiveCount"] = 5,
            },
        });
    }

    [Fact]
    public void QueuePolicy_LetsOnlyTheTopicSend()
    {
        _template.HasResourceProperties("AWS::SQS::QueuePolicy", new Dictionary<string, object>
        {
            ["Queues"] = new object[] { Ref(LogicalId(fixture.Orders.Queue)) },
            ["PolicyDocument"] = new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Action"] = "sqs:SendMessage",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "sns.amazonaws.com" },
                        ["Resource"] = GetAtt(LogicalId(fixture.Orders.Queue), "Arn"),
                        ["Condition"] = new Dictionary<string, object>
                        {
                            ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = NotificationSubscriptionFixture.TopicArn },
                        },
                    },
                }),
            },
        });
    }

    [Fact]
    public void Subscription_FiltersStreamTypesInTheMessageBodyAndDeliversRaw()
    {
        _template.HasResourceProperties("AWS::SNS::Subscription", new Dictionary<string, object>
        {
            ["Protocol"] = "sqs",
            ["TopicArn"] = NotificationSubscriptionFixture.TopicArn,
            ["Endpoint"] = GetAtt(LogicalId(fixture.Orders.Queue), "Arn"),
            ["RawMessageDelivery"] = true,
            ["FilterPolicyScope"] = "MessageBody",
            ["FilterPolicy"] = Match.ObjectEquals(new Dictionary<string, object> { ["StreamType"] = new object[] { "order", "invoice" } }),
        });
    }

    [Fact]
    public void Subscription_WithoutStreamTypes_ReceivesEverythingInTheSnsEnvelope()
    {
        _template.HasResourceProperties("AWS::SNS::Subscription", new Dictionary<string, object>
        {
            ["Endpoint"] = GetAtt(LogicalId(fixture.Everything.Queue), "Arn"),
            ["RawMessageDelivery"] = false,
            ["FilterPolicy"] = Match.Absent(),
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Constructor_MaxReceiveCountOutOfRange_Throws(int maxReceiveCount)
    {
        var stack = new Stack(new App(), "Invalid");
        var create = () => new NotificationSubscription(stack, "Subscription", new NotificationSubscriptionProps
        {
            Topic = Topic.FromTopicArn(stack, "Topic", NotificationSubscriptionFixture.TopicArn),
            MaxReceiveCount = maxReceiveCount,
        });

        create.Should().Throw<ArgumentOutOfRangeException>();
    }
}
