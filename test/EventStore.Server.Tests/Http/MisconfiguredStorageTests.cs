using System.Net;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>
/// A store that can't work as configured (here: its DynamoDB table does not exist) is reported as misconfigured, not as
/// a passing fault: 503 without Retry-After, saying which setting to fix.
/// </summary>
public sealed class MisconfiguredStorageTests : IAsyncLifetime
{
    private readonly DynamoDbServerFixture _server = DynamoDbServerFixture.Create(
        dynamoDb: null, new Dictionary<string, string?> { ["EventStore:DynamoDb:CreateTable"] = "false" });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("PUT", "streams/t/{id}/events/1")]
    [InlineData("GET", "streams/t/{id}/events")]
    [InlineData("GET", "streams/t/{id}/details")]
    [InlineData("GET", "streams/t")]
    public async Task Request_TableMissing_Returns503WithoutRetryAfterNamingTheTable(string method, string path)
    {
        using var client = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal), UriKind.Relative));
        if (method == "PUT")
        {
            request.Content = Json($$"""{"event":{{EventJson()}}}""");
        }

        using var response = await client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().BeNull();
        problem.GetProperty("title").GetString().Should().Contain("misconfigured");
        problem.GetProperty("type").GetString().Should().EndWith(EventStoreErrorCodes.StorageMisconfigured);
        problem.GetProperty(EventStoreErrorCodes.MemberName).GetString().Should().Be(EventStoreErrorCodes.StorageMisconfigured);
        problem.GetProperty("detail").GetString().Should().Contain(_server.TableName).And.Contain("EventStore:DynamoDb:TableName");
    }

    [Fact]
    public async Task ClientCall_TableMissing_FailsAtTheFirstAttemptWithTheMisconfiguredErrorCode()
    {
        var attempts = new AttemptCounter();
        var services = new ServiceCollection();
        // As applications register it: the standard resilience handler, which retries 503s; the counter inside it.
        services.AddEventStoreClient(options => options.BaseAddress = _server.BaseAddress).AddHttpMessageHandler(() => attempts);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();

        var (streamType, streamId) = (HttpAssertions.NewType(), Guid.NewGuid());
        string? misconfigured = null;

        // README misconfigured store begins
        try
        {
            await client.CreateStreamAsync(streamType, streamId, NewEvent.Create("opened", new { A = 1 }));
        }
        catch (EventStoreException exception) when (exception.ErrorCode == EventStoreErrorCodes.StorageMisconfigured)
        {
            // 503 at the first attempt: not retried. The message says what to fix on the server.
            misconfigured = exception.Message;
        }
        // README misconfigured store ends

        misconfigured.Should().Contain(_server.TableName).And.Contain("503");
        // Answered once: the misconfigured answer is not retried (an earlier attempt may have timed out unanswered).
        attempts.Answered.Should().Be(1, "a misconfigured store is not retried");
    }
}
