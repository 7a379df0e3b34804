using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace EventStore.Infrastructure;

/// <summary>
/// The Lambda function running the published ASP.NET Core server, unchanged, behind the AWS Lambda Web Adapter layer
/// (the adapter forwards each invocation to the server over HTTP on loopback), with a Function URL, its own log group
/// and a role that may do only what the server does with its table. The server is the Native AOT build on
/// <c>provided.al2023</c>, or the managed build on <c>dotnet10</c> (<see cref="ServerBuild"/>).
/// </summary>
public sealed class EventStoreFunction : Construct
{
    /// <summary>The server's executable: the handler of the managed build, started by the adapter's wrapper.</summary>
    public const string Handler = "ServerlessEventStore.Server";

    /// <summary>The script that starts the Native AOT build's executable: what <c>provided.al2023</c> runs.</summary>
    public const string Bootstrap = "bootstrap";

    /// <summary>The managed .NET 10 runtime (Amazon.CDK.Lib 2.160.0 has no constant for it).</summary>
    public static readonly Runtime DotNet10 = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    /// <summary>
    /// The AWS Lambda Web Adapter's published arm64 layer (version 26) in the stack's region: its extension serves the
    /// runtime API for either build, its wrapper (<c>/opt/bootstrap</c>) starts the managed one.
    /// </summary>
    public static readonly string WebAdapterLayerArn = $"arn:aws:lambda:{Aws.REGION}:753240598075:layer:LambdaAdapterLayerArm64:26";

    /// <summary>The server's port on loopback, where the adapter forwards requests.</summary>
    public const int Port = 8080;

    /// <summary>
    /// The path the adapter polls until it hands the function its first request: the server's liveness endpoint (the
    /// process is up and serving HTTP), deliberately not its readiness endpoint (<c>/health/ready</c>, the store and the
    /// topic usable). The adapter waits for a 2xx, so on readiness a misconfigured function (a missing table, refused
    /// credentials) would never take a request: each cold start would spin until the init or function timeout, and callers
    /// would see only timeouts. On liveness the server takes the request and answers it with a 503 that says what is
    /// misconfigured (which the client does not retry), and logs the dependency at start-up; a passing fault (DynamoDB
    /// unreachable for a moment) is a 503 with <c>Retry-After</c> that the client retries. Cold starts also skip the
    /// readiness checks' round trips. Point load balancers and monitors at <c>/health/ready</c>.
    /// </summary>
    public const string ReadinessCheckPath = "/liveness-check";

    // What the DynamoDB store does (EventStore.Server/Storage/DynamoDb): GetItem and Query on the table, Query on the
    // index, and appends as one TransactWriteItems, which IAM authorises as its parts (an UpdateItem of the header and a
    // PutItem per event; ConditionCheckItem for a condition-only part); BatchWriteItem for the removal of a hard-deleted or
    // truncated stream's events; DescribeTable for the readiness check (/health/ready, and the check logged at start-up),
    // which without it would report the credentials as refused. The table is created here, so the server's CreateTable
    // option stays off.
    private static readonly string[] TableActions =
    [
        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem",
        "dynamodb:DescribeTable",
    ];

    private static readonly string[] IndexActions = ["dynamodb:Query"];

    /// <summary>Creates the function, its role, its log group and its URL.</summary>
    /// <param name="scope">The parent construct.</param>
    /// <param name="id">The construct id.</param>
    /// <param name="props">The settings.</param>
    public EventStoreFunction(Construct scope, string id, EventStoreFunctionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (MissingFromBundle(props.CodePath, props.Build) is { } problem)
        {
            throw new ArgumentException(problem, nameof(props));
        }
        var table = props.Table;
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH });
        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = "The event store server: its own log group, and reads and appends on its own table.",
            InlinePolicies = new Dictionary<string, PolicyDocument>
            {
                ["EventStoreServer"] = new(new PolicyDocumentProps
                {
                    Statements =
                    [
                        Allow(["logs:CreateLogStream", "logs:PutLogEvents"], LogGroup.LogGroupArn),
                        Allow(TableActions, table.Table.TableArn),
                        Allow(IndexActions, table.StreamIndexArn, table.TypeIndexArn),
                    ],
                }),
            },
        });

        var environment = new Dictionary<string, string>
        {
            ["AWS_LWA_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_LWA_READINESS_CHECK_PATH"] = ReadinessCheckPath,
            // Loopback only: the Function URL's IAM auth guards the function, and the server's own authentication
            // (EventStore:Authentication) stays off, which the server allows only on loopback.
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["EventStore__Storage"] = "DynamoDb",
            ["EventStore__DynamoDb__TableName"] = table.Table.TableName,
            // The Pipe publishes the notifications from the table's stream; the function must not relay them too.
            ["EventStore__Notifications__StreamRelay"] = "false",
            ["Logging__Console__FormatterName"] = "json",
        };
        var nativeAot = props.Build == ServerBuild.NativeAot;
        if (!nativeAot)
        {
            // A managed runtime starts the handler through the adapter's wrapper; provided.al2023 runs the bootstrap itself.
            environment["AWS_LAMBDA_EXEC_WRAPPER"] = "/opt/bootstrap";
        }

        Function = new Function(this, "Function", new FunctionProps
        {
            Description = nativeAot
                ? "ServerlessEventStore: the HTTP API (ASP.NET Core, Native AOT, behind the AWS Lambda Web Adapter)"
                : "ServerlessEventStore: the HTTP API (ASP.NET Core behind the AWS Lambda Web Adapter)",
            Runtime = nativeAot ? Runtime.PROVIDED_AL2023 : DotNet10,
            Architecture = Architecture.ARM_64,
            Code = Code.FromAsset(props.CodePath),
            Handler = nativeAot ? Bootstrap : Handler,
            Layers = [LayerVersion.FromLayerVersionArn(this, "WebAdapter", WebAdapterLayerArn)],
            MemorySize = props.MemorySize,
            Timeout = props.Timeout,
            Role = Role,
            LogGroup = LogGroup,
            LoggingFormat = LoggingFormat.JSON,
            Environment = environment,
        });

        // The L2 URL takes only a literal auth type; the CloudFormation property takes the parameter.
        Url = Function.AddFunctionUrl(new FunctionUrlOptions { AuthType = FunctionUrlAuthType.AWS_IAM });
        ((CfnUrl)Url.Node.DefaultChild!).AuthType = props.UrlAuthType;
        AllowPublicAccessWhenUnauthenticated(props.UrlAuthType);
    }

    /// <summary>The function.</summary>
    public Function Function { get; }

    /// <summary>The function's URL: the store's base address.</summary>
    public FunctionUrl Url { get; }

    /// <summary>The function's log group.</summary>
    public LogGroup LogGroup { get; }

    /// <summary>The function's execution role.</summary>
    public Role Role { get; }

    // What the build's bundle lacks, said with the command that publishes it; null when it is complete.
    private static string? MissingFromBundle(string codePath, ServerBuild build)
    {
        string[] required = build == ServerBuild.NativeAot ? [Bootstrap, Handler] : [Handler];
        var missing = required.Where(file => !File.Exists(Path.Combine(codePath, file))).Select(file => $"'{file}'").ToList();
        var publish = build == ServerBuild.NativeAot
            ? "bash EventStore.Infrastructure/publish-lambda.sh"
            : "bash EventStore.Infrastructure/publish-lambda.sh --managed";
        return missing.Count == 0
            ? null
            : $"The Lambda bundle of the {build} build at '{codePath}' has no {string.Join(" and no ", missing)}; publish it with '{publish}'.";
    }

    private static PolicyStatement Allow(string[] actions, params string[] resources) => new(new PolicyStatementProps
    {
        Effect = Effect.ALLOW,
        Actions = actions,
        Resources = resources,
    });

    // An unauthenticated URL needs a resource policy letting everyone call it; since October 2025 a new URL needs
    // lambda:InvokeFunction (through the URL) besides lambda:InvokeFunctionUrl. Both exist only when the URL is NONE.
    private void AllowPublicAccessWhenUnauthenticated(string urlAuthType)
    {
        var unauthenticated = new CfnCondition(this, "UnauthenticatedUrl", new CfnConditionProps
        {
            Expression = Fn.ConditionEquals(urlAuthType, "NONE"),
        });
        var invokeUrl = new CfnPermission(this, "PublicInvokeUrl", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunctionUrl",
            FunctionName = Function.FunctionArn,
            Principal = "*",
            FunctionUrlAuthType = "NONE",
        });
        invokeUrl.CfnOptions.Condition = unauthenticated;
        var invoke = new CfnPermission(this, "PublicInvokeViaUrl", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            FunctionName = Function.FunctionArn,
            Principal = "*",
        });
        invoke.AddPropertyOverride("InvokedViaFunctionUrl", true);
        invoke.CfnOptions.Condition = unauthenticated;
    }
}
