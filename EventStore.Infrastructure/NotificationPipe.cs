using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Pipes;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace EventStore.Infrastructure;

/// <summary>
/// Stream notifications, as the original delivers them, and deletions and truncations besides: EventBridge Pipes read the
/// table's DynamoDB stream, keep the stream header records and publish each as a notification to the SNS topic. A header
/// written by an append has no <c>LastChange</c> (every append removes it): the append pipe turns it into the original's
/// <c>{"StreamId","StreamType","StreamRevision"}</c>. A header written by a delete or a truncation has <c>LastChange</c>
/// (<c>deleted</c>, <c>truncated</c>): the change pipe adds <c>Change</c> and <c>TruncatedBefore</c>. Together the two
/// filters keep every header record, each exactly once. Two pipes, not one per change: DynamoDB Streams throttles more than
/// two readers of a shard. Records a pipe still cannot deliver after bounded retries go to the one dead-letter queue.
/// </summary>
public sealed class NotificationPipe : Construct
{
    /// <summary>
    /// Keeps the stream header records written by appends (<c>RecordType = stream</c>, no <c>LastChange</c>). An
    /// attribute of a DynamoDB stream record is an object (<c>{"S":"…"}</c>), and EventBridge's <c>exists</c> tests leaf
    /// nodes only, hence the test on <c>LastChange.S</c>.
    /// </summary>
    public const string AppendRecordFilter =
        """{"dynamodb":{"NewImage":{"RecordType":{"S":["stream"]},"LastChange":{"S":[{"exists":false}]}}}}""";

    /// <summary>The notification of an append, the original's message: the revision as a string.</summary>
    public const string MessageTemplate =
        """{"StreamId":"<$.dynamodb.NewImage.PK.S>","StreamType":"<$.dynamodb.NewImage.StreamType.S>","StreamRevision":"<$.dynamodb.NewImage.StreamRevision.N>"}""";

    /// <summary>
    /// Keeps the stream header records written by deletes and truncations (<c>RecordType = stream</c> with
    /// <c>LastChange</c>), whatever the change: one a newer server writes reaches consumers by name instead of being dropped.
    /// </summary>
    public const string ChangeRecordFilter =
        """{"dynamodb":{"NewImage":{"RecordType":{"S":["stream"]},"LastChange":{"S":[{"exists":true}]}}}}""";

    /// <summary>
    /// The notification of a delete or a truncation: the append's message with the change and the first revision the
    /// stream still holds. A delete's header has <c>TruncatedBefore</c> only when the stream was truncated earlier, and
    /// what Pipes puts for a path missing from the record is not documented (EventBridge rules leave such a variable out),
    /// so consumers read <c>TruncatedBefore</c> for a truncation only, whatever it holds otherwise.
    /// </summary>
    public const string ChangeMessageTemplate =
        """{"StreamId":"<$.dynamodb.NewImage.PK.S>","StreamType":"<$.dynamodb.NewImage.StreamType.S>","StreamRevision":"<$.dynamodb.NewImage.StreamRevision.N>","Change":"<$.dynamodb.NewImage.LastChange.S>","TruncatedBefore":"<$.dynamodb.NewImage.TruncatedBefore.N>"}""";

    /// <summary>
    /// Where a new pipe starts reading: the oldest record the stream keeps (24 hours). A pipe created after the table, or
    /// re-created, then notifies the appends made meanwhile instead of dropping them (LATEST would); the price is repeated
    /// notifications, which at-least-once delivery allows.
    /// </summary>
    public const string StartingPosition = "TRIM_HORIZON";

    /// <summary>Attempts to publish a batch again before its records go to the dead-letter queue.</summary>
    public const int MaximumRetryAttempts = 10;

    /// <summary>Creates the topic, the two pipes, their role and their dead-letter queue.</summary>
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
            Description = "The notification pipes: read the event store table's stream, publish to its topic, dead-letter to its queue.",
            // Inline, so that the pipes (which reference the role) are created only once the role may do all of this.
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

        // The append pipe keeps the original's construct id: an update changes its filter in place rather than replacing
        // it with a new pipe that would read the last 24 hours again.
        Pipe = CreatePipe("Pipe", "a notification per committed append", streamArn, AppendRecordFilter, MessageTemplate);
        ChangePipe = CreatePipe("ChangePipe", "a notification per stream deleted or truncated", streamArn, ChangeRecordFilter, ChangeMessageTemplate);
    }

    /// <summary>The topic receiving the notifications; consumers subscribe to it (<see cref="NotificationSubscription"/>).</summary>
    public Topic Topic { get; }

    /// <summary>The pipe's dead-letter queue: stream records it could not deliver to the topic.</summary>
    public Queue DeadLetterQueue { get; }

    /// <summary>The pipe's role.</summary>
    public Role Role { get; }

    /// <summary>The pipe of appends: header records without <c>LastChange</c>, as the original's message.</summary>
    public CfnPipe Pipe { get; }

    /// <summary>The pipe of deletes and truncations: header records with <c>LastChange</c>, naming the change.</summary>
    public CfnPipe ChangePipe { get; }

    private CfnPipe CreatePipe(string id, string what, string streamArn, string filter, string template) => new(this, id, new CfnPipeProps
    {
        Description = $"Event store: {what} (stream header record) to the SNS topic",
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
                Filters = new object[] { new CfnPipe.FilterProperty { Pattern = filter } },
            },
        },
        Target = Topic.TopicArn,
        TargetParameters = new CfnPipe.PipeTargetParametersProperty { InputTemplate = template },
    });

    private static PolicyStatement Allow(string[] actions, string resource) => new(new PolicyStatementProps
    {
        Effect = Effect.ALLOW,
        Actions = actions,
        Resources = [resource],
    });
}
