using Amazon.CDK;
using EventStore.Infrastructure;

// Run by the CDK CLI (cdk.json) from this folder. The Lambda bundle comes from the context value lambdaCodePath
// (`-c lambdaCodePath=...`), else EVENTSTORE_LAMBDA_CODE, else publish-lambda.sh's default output folder; the context
// value serverBuild says which build it holds: `aot` (the default, Native AOT on provided.al2023) or `managed` (dotnet10).
var app = new App();
var serverBuild = (app.Node.TryGetContext("serverBuild") as string) switch
{
    null or "aot" => ServerBuild.NativeAot,
    "managed" => ServerBuild.Managed,
    var other => throw new ArgumentException($"The context value serverBuild is '{other}': it must be 'aot' (the default) or 'managed'."),
};
var codePath = app.Node.TryGetContext("lambdaCodePath") as string
    ?? System.Environment.GetEnvironmentVariable("EVENTSTORE_LAMBDA_CODE")
    ?? Path.Combine("..", ".artifacts", "lambda");
var stackName = app.Node.TryGetContext("stackName") as string ?? "ServerlessEventStore";

_ = new EventStoreStack(app, stackName, new EventStoreStackProps
{
    LambdaCodePath = Path.GetFullPath(codePath),
    ServerBuild = serverBuild,
    Description = "ServerlessEventStore for .NET: DynamoDB table, server on Lambda behind a Function URL, notifications to SNS",
    // The CLI's account and region; without them the stack is environment-agnostic.
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
});
app.Synth();
