using System.Net;
using System.Text.Json;
using EventStore.Testing;
using ServerlessEventStore.Server.Tests.Http;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Health;

/// <summary>
/// The server as its own process with one dependency failing: it starts (liveness 200), <c>/health/ready</c> answers 503
/// naming the dependency, the kind of failure and the reason, its start-up log has one line for it, and data requests
/// tell a passing fault (Retry-After) from a misconfiguration (none, and an error code the client does not retry).
/// </summary>
public sealed class UnreadyServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ready_DynamoDbUnreachable_Answers503NamingTableAndEndpointAndLogsAWarning()
    {
        using var unreachable = new UnreachableEndpoint();
        var endpoint = unreachable.Url.ToString();
        var table = $"t-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(Settings(DynamoDb(table, endpoint)));

        var dependency = await UnreadyDependencyAsync(server, "dynamodb");

        dependency.GetProperty("kind").GetString().Should().Be("unreachable");
        dependency.GetProperty("reason").GetString().Should().Contain(table).And.Contain(endpoint).And.Contain("region");
        await LoggedOnceAsync(server, "[120]", "Dependency dynamodb is not ready (unreachable)", table);
        var problem = await DataRequestProblemAsync(server, expectRetryAfter: true);
        problem.GetProperty(EventStoreErrorCodes.MemberName).GetString().Should().Be(EventStoreErrorCodes.StorageUnavailable);
    }

    [Fact]
    public async Task Ready_DynamoDbTableMissing_Answers503NamingTheTableAndLogsAnError()
    {
        var dynamoDb = await DynamoDbLocal.SharedAsync();
        var table = $"t-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(Settings(DynamoDb(table, dynamoDb.ServiceUrl.ToString())));

        var dependency = await UnreadyDependencyAsync(server, "dynamodb");

        dependency.GetProperty("kind").GetString().Should().Be("missing");
        dependency.GetProperty("reason").GetString().Should().Contain(table).And.Contain("does not exist").And.Contain(dynamoDb.ServiceUrl.ToString());
        await LoggedOnceAsync(server, "[121]", "Dependency dynamodb is misconfigured (missing)", table);
        var problem = await DataRequestProblemAsync(server, expectRetryAfter: false);
        problem.GetProperty(EventStoreErrorCodes.MemberName).GetString().Should().Be(EventStoreErrorCodes.StorageMisconfigured);
    }

    [Fact]
    public async Task Ready_DynamoDbRefusesTheCredentials_Answers503SayingSoAndLogsAnError()
    {
        var dynamoDb = await DynamoDbLocal.SharedAsync();
        var table = $"t-{Guid.NewGuid():N}";
        var environment = DynamoDb(table, dynamoDb.ServiceUrl.ToString());
        // DynamoDB Local refuses an access key id that is not letters and digits only, as AWS refuses an unknown one.
        environment["AWS_ACCESS_KEY_ID"] = "not-a-key!";
        environment["AWS_SECRET_ACCESS_KEY"] = "secret-that-must-not-leak";
        await using var server = await ServerProcess.StartAsync(Settings(environment));

        var dependency = await UnreadyDependencyAsync(server, "dynamodb");

        dependency.GetProperty("kind").GetString().Should().Be("credentials");
        dependency.GetProperty("reason").GetString().Should().Contain(table).And.Contain("credentials").And.NotContain("secret-that-must-not-leak");
        await LoggedOnceAsync(server, "[121]", "Dependency dynamodb is misconfigured (credentials)", table);
        var problem = await DataRequestProblemAsync(server, expectRetryAfter: false);
        problem.GetProperty(EventStoreErrorCodes.MemberName).GetString().Should().Be(EventStoreErrorCodes.StorageMisconfigured);
        server.Output.Should().NotContain("secret-that-must-not-leak");
    }

    [Fact]
    public async Task Ready_DynamoDbWithoutAnyCredentials_Answers503SayingNoneWereFoundAndLogsAnError()
    {
        // AWS's own endpoint (no ServiceUrl) and nothing in the SDK's chain: the credentials are missing before any request.
        var nowhere = Path.Combine(Path.GetTempPath(), $"no-aws-{Guid.NewGuid():N}");
        var table = $"t-{Guid.NewGuid():N}";
        var environment = DynamoDb(table, endpoint: null);
        environment["AWS_REGION"] = "us-east-1";
        foreach (var variable in (string[])["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"])
        {
            environment[variable] = string.Empty;
        }

        environment["AWS_CONFIG_FILE"] = nowhere;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = nowhere;
        environment["AWS_EC2_METADATA_DISABLED"] = "true";
        await using var server = await ServerProcess.StartAsync(Settings(environment));

        var dependency = await UnreadyDependencyAsync(server, "dynamodb");

        dependency.GetProperty("kind").GetString().Should().Be("credentials");
        dependency.GetProperty("reason").GetString().Should().Contain(table).And.Contain("credentials");
        await LoggedOnceAsync(server, "[121]", "Dependency dynamodb is misconfigured (credentials)", table);
        var problem = await DataRequestProblemAsync(server, expectRetryAfter: false);
        problem.GetProperty(EventStoreErrorCodes.MemberName).GetString().Should().Be(EventStoreErrorCodes.StorageMisconfigured);
    }

    [Fact]
    public async Task Ready_SnsTopicMissing_Answers503NamingTheTopicWhileTheStoreIsReady()
    {
        var fauxqs = await Fauxqs.SharedAsync();
        var topicArn = SnsSqsEmulator.TopicArn($"t-{Guid.NewGuid():N}");
        await using var server = await ServerProcess.StartAsync(Settings(new Dictionary<string, string>
        {
            ["EventStore__Notifications__SnsTopicArn"] = topicArn,
            ["EventStore__Notifications__SnsServiceUrl"] = fauxqs.ServiceUrl.ToString(),
        }));

        var dependency = await UnreadyDependencyAsync(server, "sns");

        dependency.GetProperty("kind").GetString().Should().Be("missing");
        dependency.GetProperty("reason").GetString().Should().Contain(topicArn).And.Contain("does not exist");
        await LoggedOnceAsync(server, "[121]", "Dependency sns is misconfigured (missing)", topicArn);
        var ready = await ReadinessAsync(server);
        ready.GetProperty("dependencies").EnumerateArray().Single(entry => entry.GetProperty("name").GetString() == "sqlite")
            .GetProperty("status").GetString().Should().Be("ready");
    }

    [Fact]
    public async Task Ready_SqlitePathUnderARegularFile_Answers503NamingThePath()
    {
        // Tests run as root, who may write anywhere: a path below a regular file can't be created by anyone.
        var file = Path.GetTempFileName();
        try
        {
            var path = Path.Combine(file, "sub", "eventstore.db");
            await using var server = await ServerProcess.StartAsync(Settings(new Dictionary<string, string> { ["EventStore__Sqlite__Path"] = path }));

            var dependency = await UnreadyDependencyAsync(server, "sqlite");

            dependency.GetProperty("kind").GetString().Should().Be("unwritable");
            dependency.GetProperty("reason").GetString().Should().Contain(path).And.Contain("EventStore:Sqlite:Path");
            await LoggedOnceAsync(server, "[121]", "Dependency sqlite is misconfigured (unwritable)", path);
            var problem = await DataRequestProblemAsync(server, expectRetryAfter: false);
            problem.GetProperty(EventStoreErrorCodes.MemberName).GetString().Should().Be(EventStoreErrorCodes.StorageMisconfigured);
            problem.GetProperty("detail").GetString().Should().Contain(path);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, string> DynamoDb(string table, string? endpoint)
    {
        var environment = new Dictionary<string, string>
        {
            ["EventStore__Storage"] = "DynamoDb",
            ["EventStore__DynamoDb__TableName"] = table,
            ["EventStore__DynamoDb__CreateTable"] = "false",
            ["EventStore__DynamoDb__BaseDelay"] = "00:00:00.010",
            ["EventStore__Notifications__StreamRelay"] = "false",
        };
        if (endpoint is not null)
        {
            environment["EventStore__DynamoDb__ServiceUrl"] = endpoint;
        }

        return environment;
    }

    private static ServerProcessSettings Settings(Dictionary<string, string> environment) => new() { Environment = environment };

    private static async Task<JsonElement> ReadinessAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> UnreadyDependencyAsync(ServerProcess server, string name)
    {
        var ready = await ReadinessAsync(server);
        ready.GetProperty("status").GetString().Should().Be("unready");
        var dependency = ready.GetProperty("dependencies").EnumerateArray().Should()
            .ContainSingle(entry => entry.GetProperty("name").GetString() == name).Subject;
        dependency.GetProperty("status").GetString().Should().Be("failing");
        return dependency;
    }

    /// <summary>Waits for the start-up line of the dependency and checks that it is the only one.</summary>
    private static async Task LoggedOnceAsync(ServerProcess server, string eventId, string text, string names)
    {
        await Poll.UntilAsync(() => server.Output.Contains(text, StringComparison.Ordinal), Patience, () => server.Output);
        var lines = server.Output.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal)).ToList();
        lines.Should().ContainSingle().Which.Should().Contain(eventId).And.Contain(names);
    }

    private static async Task<JsonElement> DataRequestProblemAsync(ServerProcess server, bool expectRetryAfter)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync(new Uri($"streams/{HttpAssertions.NewType()}", UriKind.Relative));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        (response.Headers.RetryAfter is not null).Should().Be(expectRetryAfter);
        return problem;
    }
}
