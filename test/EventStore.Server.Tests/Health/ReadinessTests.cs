using System.Net;
using EventStore.Testing;
using ServerlessEventStore.Server.Tests.Http;

namespace ServerlessEventStore.Server.Tests.Health;

/// <summary><c>/health/ready</c> of a healthy server, on each store: 200, every dependency ready; liveness unchanged.</summary>
public abstract class ReadinessTests<TServer>(TServer server, string store) : IClassFixture<TServer>
    where TServer : EventStoreServerFixture
{
    [Fact]
    public async Task Ready_HealthyServer_Answers200WithTheStoreReady()
    {
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));

        var ready = await response.ReadJsonAsync(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        ready.GetProperty("status").GetString().Should().Be("ready");
        var dependency = ready.GetProperty("dependencies").EnumerateArray().Should().ContainSingle().Subject;
        dependency.GetProperty("name").GetString().Should().Be(store);
        dependency.GetProperty("status").GetString().Should().Be("ready");
        dependency.TryGetProperty("kind", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Liveness_HealthyServer_StillAnswersTheOriginalsBody()
    {
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("liveness-check", UriKind.Relative));

        var live = await response.ReadJsonAsync(HttpStatusCode.OK);
        live.GetProperty("status").GetString().Should().Be("ok");
        live.EnumerateObject().Select(member => member.Name).Should().BeEquivalentTo("status", "at");
    }
}

public sealed class ReadinessTestsOnSqlite(EventStoreServerFixture server) : ReadinessTests<EventStoreServerFixture>(server, "sqlite");

public sealed class ReadinessTestsOnDynamoDb(DynamoDbServerFixture server) : ReadinessTests<DynamoDbServerFixture>(server, "dynamodb");

/// <summary>A server on DynamoDB publishing to an SNS topic that exists: both dependencies ready.</summary>
public sealed class ReadinessWithNotificationsTests : IAsyncLifetime
{
    private DynamoDbServerFixture? _server;

    public async Task InitializeAsync()
    {
        await using var sns = await SnsSqsEmulator.SharedAsync();
        var topicArn = await sns.CreateTopicAsync();
        _server = DynamoDbServerFixture.Create(dynamoDb: null, new Dictionary<string, string?>
        {
            ["EventStore:Notifications:SnsTopicArn"] = topicArn,
            ["EventStore:Notifications:SnsServiceUrl"] = sns.ServiceUrl.ToString(),
        });
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ready_DynamoDbAndAnExistingTopic_Answers200WithBothReady()
    {
        using var client = _server!.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));

        var ready = await response.ReadJsonAsync(HttpStatusCode.OK);
        ready.GetProperty("dependencies").EnumerateArray()
            .Select(dependency => (dependency.GetProperty("name").GetString(), dependency.GetProperty("status").GetString()))
            .Should().BeEquivalentTo([("dynamodb", "ready"), ("sns", "ready")]);
    }
}
