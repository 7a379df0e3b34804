using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Constructs;

namespace EventStore.Infrastructure;

/// <summary>
/// The event store in AWS, the original's stack improved: the table, the server on Lambda behind a Function URL (IAM
/// auth unless a parameter says otherwise), the notification pipe to the SNS topic with a dead-letter queue, and
/// least-privilege roles. Deploy-time parameters: <c>MemorySize</c>, <c>TimeoutSeconds</c>, <c>FunctionUrlAuthType</c>.
/// Outputs keep the original's names: <c>EsUrl</c>, <c>EsSnsTopic</c>, <c>EsDynamoDbTable</c>, <c>EsLogGroup</c>.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "A CDK stack, named as CDK names stacks; not a collection.")]
public sealed class EventStoreStack : Stack
{
    /// <summary>Creates the stack.</summary>
    /// <param name="scope">The app.</param>
    /// <param name="id">The stack id (its name unless <c>StackName</c> is set).</param>
    /// <param name="props">The settings.</param>
    public EventStoreStack(Construct scope, string id, EventStoreStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var memorySize = new CfnParameter(this, "MemorySize", new CfnParameterProps
        {
            Type = "Number",
            Default = 1024,
            MinValue = 128,
            MaxValue = 10240,
            Description = "Memory of the server's Lambda function in MB (CPU grows with it).",
        });
        var timeoutSeconds = new CfnParameter(this, "TimeoutSeconds", new CfnParameterProps
        {
            Type = "Number",
            Default = 30,
            MinValue = 1,
            MaxValue = 900,
            Description = "Timeout of one request to the server's Lambda function, in seconds.",
        });
        var urlAuthType = new CfnParameter(this, "FunctionUrlAuthType", new CfnParameterProps
        {
            Type = "String",
            Default = "AWS_IAM",
            AllowedValues = ["AWS_IAM", "NONE"],
            Description = "AWS_IAM: callers sign requests with SigV4 (service lambda). NONE: anyone may call the store - for development only.",
        });

        Table = new EventStoreTable(this, "EsTable");
        Server = new EventStoreFunction(this, "EsServer", new EventStoreFunctionProps
        {
            Table = Table,
            CodePath = props.LambdaCodePath,
            Build = props.ServerBuild,
            MemorySize = memorySize.ValueAsNumber,
            Timeout = Duration.Seconds(timeoutSeconds.ValueAsNumber),
            UrlAuthType = urlAuthType.ValueAsString,
        });
        Notifications = new NotificationPipe(this, "EsNotifications", Table);

        _ = new CfnOutput(this, "EsUrl", new CfnOutputProps
        {
            Value = Server.Url.Url,
            Description = "The event store's base address (the client's BaseAddress; the API page is at /openapi/).",
        });
        _ = new CfnOutput(this, "EsSnsTopic", new CfnOutputProps
        {
            Value = Notifications.Topic.TopicArn,
            Description = "The notification topic: subscribe consumers' SQS queues to it, filtered by StreamType.",
        });
        _ = new CfnOutput(this, "EsDynamoDbTable", new CfnOutputProps
        {
            Value = Table.Table.TableName,
            Description = "The DynamoDB table holding streams and events (kept when the stack is deleted).",
        });
        _ = new CfnOutput(this, "EsLogGroup", new CfnOutputProps
        {
            Value = Server.LogGroup.LogGroupName,
            Description = "The server's CloudWatch log group (JSON logs).",
        });
        _ = new CfnOutput(this, "EsNotificationDeadLetterQueue", new CfnOutputProps
        {
            Value = Notifications.DeadLetterQueue.QueueUrl,
            Description = "Stream records the notification pipe could not publish after its retries.",
        });
    }

    /// <summary>The table.</summary>
    public EventStoreTable Table { get; }

    /// <summary>The server's function, URL and logs.</summary>
    public EventStoreFunction Server { get; }

    /// <summary>The notification pipe and topic.</summary>
    public NotificationPipe Notifications { get; }
}
