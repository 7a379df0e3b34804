using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Pipes;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace EventStore.Infrastructure;

/// <summary>
/// Stream notifications, as the original delivers them: an EventBridge Pipe reads the table's DynamoDB stream, keeps the
/// stream header records (one per committed append), turns each into <c>{"StreamId","StreamType","StreamRevision"}</c>
/// and publishes it to the SNS topic. Records it still cannot deliver after bounded retries go to a dead-letter queue.
/// </summary>
public sealed class NotificationPipe : Construct
{
    /// <summary>Keeps only stream header records (<c>RecordType = stream</c>): a header is written by every append.</summary>
    public const string HeaderRecordFilter = """{"dynamodb":{"NewImage":{"RecordType":{"S":["stream"]}}}}""";

    /// <summary>The notification message, the original's: the revision as a string.</summary>
    public const string MessageTemplate =
        """{"StreamId":"<$.dynamodb.NewImage.PK.S>","StreamType":"<$.dynamodb.NewImage.StreamType.S>","StreamRevision":"<$.dynamodb.NewImage.StreamRevision.N>"}""";

    /// <summary>
    /// Where a new pipe starts reading: the oldest record the stream keeps (24 hours). A pipe created after the table, or
    /// re-created, then notifies the appends made meanwhile instead of dropping them (LATEST would); the price is repeated
    /// notifications, which at-least-once delivery allows.
    /// </summary>
    public const string StartingPosition = "TRIM_HORIZON";

    /// <summary>Attempts to publish a batch again before its records go to the dead-letter queue.</summary>
    public const int MaximumRetryAttempts = 10;

    /// <summary>Creates the topic, the pipe, its role and its dead-letter queue.</summary>
    /// <param name="scope">The parent construct.</param>
    /// <param name="id">The construct id.</param>
    /// <param name="table">The store's table, with its DynamoDB stream.</param>
    public NotificationPipe(Construct scope, string id, EventStoreTable table)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(table);
        var streamArn = table.Table.TableStreamArn
            ?? throw new ArgumentException("The table has no DynamoDB stream.", nameof(table));

        Topic = new Topic(this, "Topic", new TopicProps { DisplayName = "Event store stream notifications" });
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("pipes.amazonaws.com", new ServicePrincipalOpts
            {
                // Only pipes of this account may use the role (confused deputy).
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                },
            }),
            Description = "The notification pipe: reads the event store table's stream, publishes to its topic, dead-letters to its queue.",
            // Inline, so that the pipe (which references the role) is created only once the role may do all of this.
            InlinePolicies = new Dictionary<string, PolicyDocument>
            {
                ["NotificationPipe"] = new(new PolicyDocumentProps
                {
                    Statements =
                    [
                        Allow(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"], streamArn),
                        Allow(["sns:Publish"], Topic.TopicArn),
                        Allow(["sqs:SendMessage"], DeadLetterQueue.QueueArn),
                    ],
                }),
            },
        });

        Pipe = new CfnPipe(this, "Pipe", new CfnPipeProps
        {
            Description = "Event store: a notification per committed append (stream header record) to the SNS topic",
            RoleArn = Role.RoleArn,
            Source = streamArn,
            SourceParameters = new CfnPipe.PipeSourceParametersProperty
            {
                DynamoDbStreamParameters = new CfnPipe.PipeSourceDynamoDBStreamParametersProperty
                {
                    StartingPosition = StartingPosition,
                    MaximumRetryAttempts = MaximumRetryAttempts,
                    DeadLetterConfig = new CfnPipe.DeadLetterConfigProperty { Arn = DeadLetterQueue.QueueArn },
                },
                FilterCriteria = new CfnPipe.FilterCriteriaProperty
                {
                    Filters = new object[] { new CfnPipe.FilterProperty { Pattern = HeaderRecordFilter } },
                },
            },
            Target = Topic.TopicArn,
            TargetParameters = new CfnPipe.PipeTargetParametersProperty { InputTemplate = MessageTemplate },
        });
    }

    /// <summary>The topic receiving the notifications; consumers subscribe to it (<see cref="NotificationSubscription"/>).</summary>
    public Topic Topic { get; }

    /// <summary>The pipe's dead-letter queue: stream records it could not deliver to the topic.</summary>
    public Queue DeadLetterQueue { get; }

    /// <summary>The pipe's role.</summary>
    public Role Role { get; }

    /// <summary>The pipe.</summary>
    public CfnPipe Pipe { get; }

    private static PolicyStatement Allow(string[] actions, string resource) => new(new PolicyStatementProps
    {
        Effect = Effect.ALLOW,
        Actions = actions,
        Resources = [resource],
    });
}
