using System.Net;
using System.Web;
using ServerlessEventStore.Server.Notifications;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The publisher as registered by the server, with its transport captured: the signed SNS Publish request, failures
/// as <see cref="NotificationPublishException"/>, the logging publisher without a topic, and option validation.
/// </summary>
public sealed class NotificationPublisherTests
{
    private const string TopicArn = "arn:aws:sns:eu-central-1:123456789012:event-store";
    private const string PublishResponse = "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>";
    private static readonly Uri EmulatorUrl = new("http://127.0.0.1:1/");
    private readonly CollectingLoggerProvider _logs = new();

    [Fact]
    public async Task PublishAsync_SnsTopic_SendsOneSignedFormPostWithTheOriginalMessage()
    {
        var transport = new CapturingHandler(HttpStatusCode.OK, PublishResponse);
        await using var provider = BuildServices(Settings(TopicArn, EmulatorUrl), transport);
        var notification = new StreamNotification(Guid.Parse("2886e475-d5cc-40f7-aec5-401071388b3c"), "test-stream-type", 18);

        await provider.GetRequiredService<INotificationPublisher>().PublishAsync(notification, CancellationToken.None);

        var (request, body) = transport.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be(HttpMethod.Post);
        request.RequestUri.Should().Be(EmulatorUrl);
        request.Content!.Headers.ContentType!.MediaType.Should().Be("application/x-www-form-urlencoded");
        var authorization = request.Headers.GetValues("Authorization").Should().ContainSingle().Subject;
        authorization.Should().MatchRegex(@"^AWS4-HMAC-SHA256 Credential=[^/]+/\d{8}/eu-central-1/sns/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$");
        request.Headers.GetValues("X-Amz-Date").Should().ContainSingle().Which.Should().MatchRegex(@"^\d{8}T\d{6}Z$");

        var form = HttpUtility.ParseQueryString(body);
        form.AllKeys.Should().BeEquivalentTo(
            "Action", "Version", "TopicArn", "Message",
            "MessageAttributes.entry.1.Name", "MessageAttributes.entry.1.Value.DataType", "MessageAttributes.entry.1.Value.StringValue");
        form["Action"].Should().Be("Publish");
        form["Version"].Should().Be("2010-03-31");
        form["TopicArn"].Should().Be(TopicArn);
        form["Message"].Should().Be("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"test-stream-type","StreamRevision":"18"}""");
        form["MessageAttributes.entry.1.Name"].Should().Be("StreamType");
        form["MessageAttributes.entry.1.Value.DataType"].Should().Be("String");
        form["MessageAttributes.entry.1.Value.StringValue"].Should().Be("test-stream-type");
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task PublishAsync_ErrorStatus_ThrowsRetryableFailure(HttpStatusCode status)
    {
        var transport = new CapturingHandler(status, "<ErrorResponse><Error><Code>Oops</Code></Error></ErrorResponse>");
        await using var provider = BuildServices(Settings(TopicArn, EmulatorUrl), transport);

        var publishing = () => provider.GetRequiredService<INotificationPublisher>()
            .PublishAsync(new StreamNotification(Guid.NewGuid(), "order", 1), CancellationToken.None);

        (await publishing.Should().ThrowAsync<NotificationPublishException>()).Which.Message.Should().Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("Oops");
    }

    [Fact]
    public async Task PublishAsync_SnsUnreachable_ThrowsRetryableFailure()
    {
        using var endpoint = new UnreachableEndpoint();
        var unreachable = endpoint.Url;
        await using var provider = BuildServices(Settings(TopicArn, unreachable), transport: null);

        var publishing = () => provider.GetRequiredService<INotificationPublisher>()
            .PublishAsync(new StreamNotification(Guid.NewGuid(), "order", 1), CancellationToken.None);

        (await publishing.Should().ThrowAsync<NotificationPublishException>()).WithInnerException<HttpRequestException>();
    }

    [Fact]
    public async Task PublishAsync_NoTopic_LogsTheNotificationInstead()
    {
        var transport = new CapturingHandler(HttpStatusCode.OK, PublishResponse);
        await using var provider = BuildServices(new Dictionary<string, string?>(), transport);
        var streamId = Guid.NewGuid();

        await provider.GetRequiredService<INotificationPublisher>().PublishAsync(new StreamNotification(streamId, "order", 7), CancellationToken.None);

        transport.Requests.Should().BeEmpty();
        _logs.Entries.Should().ContainSingle(l => l.Level == LogLevel.Debug)
            .Which.Message.Should().Contain($$"""{"StreamId":"{{streamId}}","StreamType":"order","StreamRevision":"7"}""").And.Contain("not published");
    }

    [Fact]
    public async Task Options_Invalid_FailValidationWithEveryViolation()
    {
        await using var provider = BuildServices(
            new Dictionary<string, string?>
            {
                ["EventStore:Notifications:SnsTopicArn"] = "arn:aws:sqs:eu-central-1:123456789012:not-a-topic",
                ["EventStore:Notifications:SnsServiceUrl"] = "ftp://example.com/",
                ["EventStore:Notifications:BatchSize"] = "0",
                ["EventStore:Notifications:MinRetryDelay"] = "00:01:00",
                ["EventStore:Notifications:MaxRetryDelay"] = "00:00:01",
            },
            transport: null);

        var reading = () => provider.GetRequiredService<IOptions<NotificationOptions>>().Value;

        reading.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(4)
            .And.Contain(f => f.Contains("SnsTopicArn", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("SnsServiceUrl", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("BatchSize", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("MaxRetryDelay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_InvalidTopicArn_FailsStartUp()
    {
        var server = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Notifications:SnsTopicArn"] = "my-topic" });

        var starting = server.InitializeAsync;

        (await starting.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("SnsTopicArn");
        await server.DisposeAsync();
    }

    private static Dictionary<string, string?> Settings(string topicArn, Uri? serviceUrl) => new()
    {
        ["EventStore:Notifications:SnsTopicArn"] = topicArn,
        ["EventStore:Notifications:SnsServiceUrl"] = serviceUrl?.ToString(),
    };

    private ServiceProvider BuildServices(Dictionary<string, string?> settings, CapturingHandler? transport)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddEventStoreNotifications();
        if (transport is not null)
        {
            services.AddHttpClient(NotificationServiceCollectionExtensions.SnsHttpClientName).ConfigurePrimaryHttpMessageHandler(() => transport);
        }

        return services.BuildServiceProvider();
    }
}
