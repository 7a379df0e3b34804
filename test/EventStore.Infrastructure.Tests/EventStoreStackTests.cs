using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using static EventStore.Infrastructure.Tests.SynthesizedTemplate;

namespace EventStore.Infrastructure.Tests;

public sealed class EventStoreStackTests(EventStoreStackFixture fixture) : IClassFixture<EventStoreStackFixture>
{
    private static readonly string[] ServerTableActions =
    [
        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem",
        "dynamodb:DescribeTable",
    ];

    private readonly Template _template = fixture.Template;
    private readonly EventStoreStack _stack = fixture.Stack;

    private string TableId => LogicalId(_stack.Table.Table);

    private string FunctionId => LogicalId(_stack.Server.Function);

    [Fact]
    public void Table_HasTheServersLayout()
    {
        _template.ResourceCountIs("AWS::DynamoDB::Table", 1);
        _template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectEquals(new Dictionary<string, object>
        {
            ["KeySchema"] = new object[] { Key("PK", "HASH"), Key("SK", "RANGE") },
            ["AttributeDefinitions"] = new object[]
            {
                Attribute("PK", "S"), Attribute("SK", "N"), Attribute("StreamType", "S"), Attribute("UpdatedAt", "S"), Attribute("TypePosition", "S"),
            },
            ["GlobalSecondaryIndexes"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["IndexName"] = "StreamIndex",
                    ["KeySchema"] = new object[] { Key("StreamType", "HASH"), Key("UpdatedAt", "RANGE") },
                    ["Projection"] = new Dictionary<string, object>
                    {
                        ["ProjectionType"] = "INCLUDE",
                        ["NonKeyAttributes"] = new object[] { "StreamRevision" },
                    },
                },
                new Dictionary<string, object>
                {
                    ["IndexName"] = "TypeIndex",
                    ["KeySchema"] = new object[] { Key("StreamType", "HASH"), Key("TypePosition", "RANGE") },
                    ["Projection"] = new Dictionary<string, object> { ["ProjectionType"] = "ALL" },
                },
            },
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["StreamSpecification"] = new Dictionary<string, object> { ["StreamViewType"] = "NEW_IMAGE" },
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
        }));
    }

    [Fact]
    public void Table_IsRetainedOnDeletionAndReplacement()
    {
        _template.HasResource("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
        });
    }

    [Fact]
    public void Function_RunsTheNativeAotBuildOnArm64ProvidedAl2023BehindTheWebAdapter() =>
        HasOneArm64FunctionBehindTheWebAdapter(_template, "provided.al2023", "bootstrap");

    /// <summary>Asserts the stack's one function: arm64, on <paramref name="runtime"/>, starting <paramref name="handler"/>, with the Lambda Web Adapter layer.</summary>
    internal static void HasOneArm64FunctionBehindTheWebAdapter(Template template, string runtime, string handler)
    {
        template.ResourceCountIs("AWS::Lambda::Function", 1);
        template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Architectures"] = new object[] { "arm64" },
            ["Runtime"] = runtime,
            ["Handler"] = handler,
            ["Layers"] = WebAdapterLayer,
        });
    }

    [Fact]
    public void Function_EnvironmentStartsTheServerOnDynamoDbWithJsonLogs()
    {
        // No exec wrapper: provided.al2023 runs the bundle's bootstrap, and the adapter's extension serves the runtime API.
        _template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Environment"] = new Dictionary<string, object> { ["Variables"] = Match.ObjectEquals(ServerEnvironment(TableId)) },
        });
    }

    [Fact]
    public void Function_ServerListensOnLoopbackOnly_SoItStartsWithItsOwnAuthenticationOff()
    {
        // The Function URL's IAM auth guards the function; the server's own authentication stays off, which it allows
        // only on loopback (EventStore:Authentication), where the Web Adapter forwards the requests.
        var variables = fixture.Json["Resources"]![FunctionId]!["Properties"]!["Environment"]!["Variables"]!.AsObject();

        var urls = variables["ASPNETCORE_URLS"]!.GetValue<string>().Split(';');

        urls.Should().NotBeEmpty().And.OnlyContain(url => System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(new Uri(url).Host)));
        variables.Select(variable => variable.Key).Should().NotContain(key => key.StartsWith("EventStore__Authentication", StringComparison.Ordinal));
    }

    [Fact]
    public void Function_MemoryAndTimeoutComeFromParametersWithDefaults()
    {
        _template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["MemorySize"] = Ref("MemorySize"),
            ["Timeout"] = Ref("TimeoutSeconds"),
        });
        _template.HasParameter("MemorySize", new Dictionary<string, object> { ["Type"] = "Number", ["Default"] = 1024, ["MinValue"] = 128, ["MaxValue"] = 10240 });
        _template.HasParameter("TimeoutSeconds", new Dictionary<string, object> { ["Type"] = "Number", ["Default"] = 30, ["MinValue"] = 1, ["MaxValue"] = 900 });
    }

    [Fact]
    public void Function_LogsJsonToItsOwnLogGroupWithRetention()
    {
        var logGroupId = LogicalId(_stack.Server.LogGroup);
        _template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["LoggingConfig"] = new Dictionary<string, object> { ["LogFormat"] = "JSON", ["LogGroup"] = Ref(logGroupId) },
        });
        fixture.Json["Resources"]![logGroupId]!["Properties"]!["RetentionInDays"]!.GetValue<int>().Should().Be(30);
    }

    [Fact]
    public void FunctionUrl_AuthTypeIsAwsIamUnlessTheParameterSaysNone()
    {
        _template.ResourceCountIs("AWS::Lambda::Url", 1);
        _template.HasResourceProperties("AWS::Lambda::Url", new Dictionary<string, object>
        {
            ["AuthType"] = Ref("FunctionUrlAuthType"),
            ["TargetFunctionArn"] = GetAtt(FunctionId, "Arn"),
        });
        _template.HasParameter("FunctionUrlAuthType", new Dictionary<string, object>
        {
            ["Type"] = "String",
            ["Default"] = "AWS_IAM",
            ["AllowedValues"] = new object[] { "AWS_IAM", "NONE" },
        });
    }

    [Theory]
    [InlineData("AWS_IAM", 0)]
    [InlineData("NONE", 2)]
    public void FunctionUrl_IsPublicOnlyWhenDeployedWithNone(string authType, int publicPermissions)
    {
        var parameters = new Dictionary<string, string> { ["FunctionUrlAuthType"] = authType };
        var url = fixture.Resources("AWS::Lambda::Url").Single().Resource;
        Evaluate(url["Properties"]!["AuthType"]!, parameters).Should().Be(authType);

        // Every permission is conditional: with IAM auth the function has no resource policy at all.
        var permissions = fixture.Resources("AWS::Lambda::Permission").Select(permission => permission.Resource).ToList();
        permissions.Should().HaveCount(2).And.OnlyContain(permission => permission["Condition"] != null);
        var deployed = permissions.Where(permission => Evaluate(
            fixture.Json["Conditions"]![(string)permission["Condition"]!]!, parameters) == "true").ToList();
        deployed.Should().HaveCount(publicPermissions);
        if (publicPermissions > 0)
        {
            deployed.Select(permission => (string?)permission["Properties"]!["Action"])
                .Should().BeEquivalentTo("lambda:InvokeFunctionUrl", "lambda:InvokeFunction");
            deployed.Should().OnlyContain(permission => (string?)permission["Properties"]!["Principal"] == "*");
            deployed.Single(permission => (string?)permission["Properties"]!["Action"] == "lambda:InvokeFunction")["Properties"]!["InvokedViaFunctionUrl"]!
                .GetValue<bool>().Should().BeTrue();
        }
    }

    [Fact]
    public void Pipes_BothReadTheTableStreamFromTheOldestRecordAndPublishToTheTopic()
    {
        // Two readers of each shard at most: DynamoDB Streams throttles a third.
        _template.ResourceCountIs("AWS::Pipes::Pipe", 2);
        foreach (var pipe in new[] { _stack.Notifications.Pipe, _stack.Notifications.ChangePipe })
        {
            var properties = Properties(pipe);
            JsonNode.DeepEquals(properties["Source"], Node(GetAtt(TableId, "StreamArn"))).Should().BeTrue();
            JsonNode.DeepEquals(properties["Target"], Node(Ref(LogicalId(_stack.Notifications.Topic)))).Should().BeTrue();
            JsonNode.DeepEquals(properties["RoleArn"], Node(GetAtt(LogicalId(_stack.Notifications.Role), "Arn"))).Should().BeTrue();
            ((string?)properties["SourceParameters"]!["DynamoDBStreamParameters"]!["StartingPosition"]).Should().Be("TRIM_HORIZON");
        }
    }

    [Fact]
    public void AppendPipe_KeepsHeaderRecordsWithoutLastChangeAndSendsTheOriginalsMessage()
    {
        LogicalId(_stack.Notifications.Pipe).Should().Be("EsNotificationsPipe71E20CD3", "the original's pipe keeps its logical id, so an update changes it in place instead of replacing it");
        _template.HasResourceProperties("AWS::Pipes::Pipe", new Dictionary<string, object>
        {
            ["SourceParameters"] = Filter("""{"dynamodb":{"NewImage":{"RecordType":{"S":["stream"]},"LastChange":{"S":[{"exists":false}]}}}}"""),
            ["TargetParameters"] = new Dictionary<string, object>
            {
                ["InputTemplate"] = """{"StreamId":"<$.dynamodb.NewImage.PK.S>","StreamType":"<$.dynamodb.NewImage.StreamType.S>","StreamRevision":"<$.dynamodb.NewImage.StreamRevision.N>"}""",
            },
        });
    }

    [Fact]
    public void ChangePipe_KeepsHeaderRecordsWithLastChangeAndSendsTheMessageNamingTheChange()
    {
        _template.HasResourceProperties("AWS::Pipes::Pipe", new Dictionary<string, object>
        {
            ["SourceParameters"] = Filter("""{"dynamodb":{"NewImage":{"RecordType":{"S":["stream"]},"LastChange":{"S":[{"exists":true}]}}}}"""),
            ["TargetParameters"] = new Dictionary<string, object>
            {
                ["InputTemplate"] = """{"StreamId":"<$.dynamodb.NewImage.PK.S>","StreamType":"<$.dynamodb.NewImage.StreamType.S>","StreamRevision":"<$.dynamodb.NewImage.StreamRevision.N>","Change":"<$.dynamodb.NewImage.LastChange.S>","TruncatedBefore":"<$.dynamodb.NewImage.TruncatedBefore.N>"}""",
            },
        });
    }

    [Fact]
    public void Pipes_RetryABoundedNumberOfTimesThenDeadLetterToTheOneQueue()
    {
        foreach (var pipe in new[] { _stack.Notifications.Pipe, _stack.Notifications.ChangePipe })
        {
            var parameters = Properties(pipe)["SourceParameters"]!["DynamoDBStreamParameters"]!;
            parameters["MaximumRetryAttempts"]!.GetValue<int>().Should().BeInRange(0, 100);
            JsonNode.DeepEquals(
                    parameters["DeadLetterConfig"]!["Arn"],
                    JsonNode.Parse($$"""{"Fn::GetAtt":["{{LogicalId(_stack.Notifications.DeadLetterQueue)}}","Arn"]}"""))
                .Should().BeTrue();
        }
    }

    [Fact]
    public void ServerRole_MayUseOnlyTheServersDynamoDbActionsOnItsTableAndIndex()
    {
        var statements = InlineStatements(_stack.Server.Role)
            .Where(statement => Actions(statement).Any(action => action.StartsWith("dynamodb:", StringComparison.Ordinal)))
            .ToList();

        statements.Should().HaveCount(2);
        var onTable = statements.Single(statement => JsonNode.DeepEquals(statement["Resource"], Node(GetAtt(TableId, "Arn"))));
        Actions(onTable).Should().BeEquivalentTo(ServerTableActions);
        var onIndex = statements.Single(statement => statement != onTable);
        Actions(onIndex).Should().Equal("dynamodb:Query");
        JsonNode.DeepEquals(
                onIndex["Resource"],
                JsonNode.Parse($$"""
                    [{"Fn::Join":["",[{"Fn::GetAtt":["{{TableId}}","Arn"]},"/index/StreamIndex"]]},
                     {"Fn::Join":["",[{"Fn::GetAtt":["{{TableId}}","Arn"]},"/index/TypeIndex"]]}]
                    """))
            .Should().BeTrue(onIndex["Resource"]!.ToJsonString());
    }

    [Fact]
    public void ServerRole_WritesOnlyToItsLogGroupAndHasNoManagedPolicies()
    {
        var logStatement = InlineStatements(_stack.Server.Role)
            .Single(statement => Actions(statement).Any(action => action.StartsWith("logs:", StringComparison.Ordinal)));
        Actions(logStatement).Should().BeEquivalentTo("logs:CreateLogStream", "logs:PutLogEvents");
        JsonNode.DeepEquals(logStatement["Resource"], Node(GetAtt(LogicalId(_stack.Server.LogGroup), "Arn"))).Should().BeTrue();
        fixture.Resources("AWS::IAM::Role").Should().OnlyContain(role => role.Resource["Properties"]!["ManagedPolicyArns"] == null);
    }

    [Fact]
    public void PipeRole_MayOnlyReadTheStreamPublishToTheTopicAndDeadLetter()
    {
        var byAction = InlineStatements(_stack.Notifications.Role)
            .SelectMany(statement => Actions(statement).Select(action => (action, resource: statement["Resource"]!.ToJsonString())))
            .ToDictionary(grant => grant.action, grant => grant.resource);

        var stream = Node(GetAtt(TableId, "StreamArn"))!.ToJsonString();
        byAction.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["dynamodb:DescribeStream"] = stream,
            ["dynamodb:GetRecords"] = stream,
            ["dynamodb:GetShardIterator"] = stream,
            ["dynamodb:ListStreams"] = stream,
            ["sns:Publish"] = Node(Ref(LogicalId(_stack.Notifications.Topic)))!.ToJsonString(),
            ["sqs:SendMessage"] = Node(GetAtt(LogicalId(_stack.Notifications.DeadLetterQueue), "Arn"))!.ToJsonString(),
        });
    }

    [Fact]
    public void PipeRole_IsAssumableOnlyByPipesOfThisAccount()
    {
        var trust = fixture.Json["Resources"]![LogicalId(_stack.Notifications.Role)]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Single()!;
        ((string?)trust["Principal"]!["Service"]).Should().Be("pipes.amazonaws.com");
        JsonNode.DeepEquals(trust["Condition"], JsonNode.Parse("""{"StringEquals":{"aws:SourceAccount":{"Ref":"AWS::AccountId"}}}""")).Should().BeTrue();
    }

    [Fact]
    public void Roles_GrantNoWildcardActionsOrResources()
    {
        var statements = fixture.Resources("AWS::IAM::Role")
            .SelectMany(role => role.Resource["Properties"]!["Policies"]?.AsArray() ?? [])
            .Concat(fixture.Resources("AWS::IAM::Policy").Select(policy => policy.Resource["Properties"]))
            .SelectMany(policy => policy!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(statement => statement!.AsObject())
            .ToList();

        statements.Should().NotBeEmpty();
        statements.SelectMany(Actions).Should().OnlyContain(action => !action.Contains('*', StringComparison.Ordinal));
        statements.Should().OnlyContain(statement => (string?)statement["Effect"] == "Allow" && !statement["Resource"]!.ToJsonString().Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_KeepTheOriginalsNames()
    {
        _template.HasOutput("EsUrl", new Dictionary<string, object> { ["Value"] = GetAtt(LogicalId(_stack.Server.Url), "FunctionUrl") });
        _template.HasOutput("EsSnsTopic", new Dictionary<string, object> { ["Value"] = Ref(LogicalId(_stack.Notifications.Topic)) });
        _template.HasOutput("EsDynamoDbTable", new Dictionary<string, object> { ["Value"] = Ref(TableId) });
        _template.HasOutput("EsLogGroup", new Dictionary<string, object> { ["Value"] = Ref(LogicalId(_stack.Server.LogGroup)) });
    }

    [Theory]
    [InlineData(new string[0], "*no 'bootstrap' and no 'ServerlessEventStore.Server'*publish-lambda.sh'*")]
    [InlineData(new[] { EventStoreFunction.Handler }, "*NativeAot build*no 'bootstrap';*publish-lambda.sh'*")]
    public void Constructor_IncompleteNativeAotBundle_ThrowsNamingWhatIsMissingAndThePublishScript(string[] files, string message)
    {
        var create = (string folder) => new EventStoreStack(new App(), "Incomplete", new EventStoreStackProps { LambdaCodePath = folder });

        WithBundle(files, create).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void AdapterReadinessCheck_IsTheServersLivenessNotItsReadiness_SoAMisconfiguredFunctionAnswersRatherThanHangs()
    {
        // The adapter hands the function no request until its check answers 2xx; /health/ready answers 503 for as long as
        // the store is misconfigured, which would leave every cold start waiting for its timeout. See ReadinessCheckPath.
        var variables = fixture.Json["Resources"]![FunctionId]!["Properties"]!["Environment"]!["Variables"]!;

        variables["AWS_LWA_READINESS_CHECK_PATH"]!.GetValue<string>().Should().Be(EventStoreFunction.ReadinessCheckPath).And.Be("/liveness-check");
        variables.AsObject().Should().NotContainKey("AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS");
    }

    /// <summary>The server's environment in the function (the table's name from <paramref name="tableId"/>), both builds alike.</summary>
    internal static Dictionary<string, object> ServerEnvironment(string tableId) => new()
    {
        ["AWS_LWA_PORT"] = "8080",
        ["AWS_LWA_READINESS_CHECK_PATH"] = "/liveness-check",
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:8080",
        ["EventStore__Storage"] = "DynamoDb",
        ["EventStore__DynamoDb__TableName"] = Ref(tableId),
        ["EventStore__Notifications__StreamRelay"] = "false",
        ["Logging__Console__FormatterName"] = "json",
    };

    /// <summary>The Web Adapter's arm64 layer in the stack's region, as the template names it.</summary>
    internal static object[] WebAdapterLayer =>
    [
        new Dictionary<string, object>
        {
            ["Fn::Join"] = new object[]
            {
                "",
                new object[] { "arn:aws:lambda:", Ref("AWS::Region"), ":753240598075:layer:LambdaAdapterLayerArm64:26" },
            },
        },
    ];

    /// <summary>An action creating a stack from a temporary bundle folder holding (stand-ins of) <paramref name="files"/>.</summary>
    internal static Action WithBundle(string[] files, Func<string, EventStoreStack> create) => () =>
    {
        var folder = Directory.CreateTempSubdirectory("t-").FullName;
        try
        {
            foreach (var file in files)
            {
                File.WriteAllText(Path.Combine(folder, file), "#!/bin/sh\n");
            }

            create(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    };

    private static Dictionary<string, object> Key(string name, string type) => new() { ["AttributeName"] = name, ["KeyType"] = type };

    private static Dictionary<string, object> Attribute(string name, string type) => new() { ["AttributeName"] = name, ["AttributeType"] = type };

    private static JsonNode? Node(object value) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value));

    private static IEnumerable<string> Actions(JsonObject statement) => statement["Action"] switch
    {
        JsonArray actions => actions.Select(action => (string)action!),
        var action => [(string)action!],
    };

    private static Dictionary<string, object> Filter(string pattern) => new()
    {
        ["FilterCriteria"] = new Dictionary<string, object>
        {
            ["Filters"] = new object[] { new Dictionary<string, object> { ["Pattern"] = pattern } },
        },
    };

    private JsonObject Properties(Amazon.CDK.AWS.Pipes.CfnPipe pipe) => fixture.Json["Resources"]![LogicalId(pipe)]!["Properties"]!.AsObject();

    private IEnumerable<JsonObject> InlineStatements(Amazon.CDK.AWS.IAM.Role role) =>
        fixture.Json["Resources"]![LogicalId(role)]!["Properties"]!["Policies"]!.AsArray()
            .SelectMany(policy => policy!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(statement => statement!.AsObject());

    // Just enough of CloudFormation to decide what a deployment with these parameter values gets.
    private static string Evaluate(JsonNode node, IReadOnlyDictionary<string, string> parameters) => node switch
    {
        JsonObject { Count: 1 } reference when reference["Ref"] is { } name => parameters[(string)name!],
        JsonObject { Count: 1 } equals when equals["Fn::Equals"] is JsonArray operands =>
            (Evaluate(operands[0]!, parameters) == Evaluate(operands[1]!, parameters)) ? "true" : "false",
        JsonValue value => (string)value!,
        _ => throw new NotSupportedException(node.ToJsonString()),
    };
}
