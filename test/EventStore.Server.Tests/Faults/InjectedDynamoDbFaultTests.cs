using System.Net;
using System.Text.Json;
using static ServerlessEventStore.Server.Tests.Faults.FaultInjectedDynamoDbServer;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Faults;

/// <summary>
/// Throttling, transaction conflicts and lost answers from DynamoDB, injected around the real client: a few are retried
/// inside the adapter and the request succeeds; persistent ones answer 503 with Retry-After, never 500, never a false 409,
/// and store nothing.
/// </summary>
public sealed class InjectedDynamoDbFaultTests(FaultInjectedDynamoDbServer server) : IClassFixture<FaultInjectedDynamoDbServer>, IDisposable
{
    private const int MaxAttempts = FaultInjectedDynamoDbServer.MaxAttempts;

    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose()
    {
        server.DisarmAll();
        _client.Dispose();
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceeded")]
    [InlineData("Throttling")]
    [InlineData("TransactionConflict")]
    public async Task AppendEvents_FewerFaultsThanAttempts_RetriedInsideAdapterAndStoredOnce(string fault)
    {
        var (type, id, eventId) = (NewType(), Guid.NewGuid(), Guid.NewGuid());
        server.TransactWriteItems.Arm(Fault(fault), times: MaxAttempts - 1);

        using var response = await PutAsync(type, id, 1, eventId);

        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(1);
        server.TransactWriteItems.Injected.Should().Be(MaxAttempts - 1);
        server.TransactWriteItems.Calls.Should().Be(MaxAttempts, "each fault is retried once, then the write goes through");
        (await ReadEventsAsync(type, id)).Select(e => (e.GetProperty("revision").GetInt32(), e.GetProperty("eventId").GetGuid()))
            .Should().Equal((1, eventId));
    }

    [Fact]
    public async Task AppendEvents_WriteTookEffectButItsAnswerWasLost_RetryIsIdempotent()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var eventId = Guid.NewGuid();
        server.TransactWriteItems.Arm(Fault("InternalServerError"), times: 1, afterForwarding: true);

        using var response = await PutAsync(type, id, 2, eventId);

        response.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], await response.Content.ReadAsStringAsync());
        server.TransactWriteItems.Calls.Should().BeGreaterThan(1, "the lost answer is retried");
        (await ReadEventsAsync(type, id)).Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(1, 2);
        (await ReadEventsAsync(type, id))[1].GetProperty("eventId").GetGuid().Should().Be(eventId);
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceeded")]
    [InlineData("Throttling")]
    [InlineData("TransactionConflict")]
    [InlineData("InternalServerError")]
    public async Task AppendEvents_PersistentFaults_Returns503WithRetryAfterAndStoresNothing(string fault)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        server.TransactWriteItems.Arm(Fault(fault), times: int.MaxValue);

        using var response = await PutAsync(type, id, 2, Guid.NewGuid());

        await ShouldBeRetryableAsync(response);
        server.TransactWriteItems.Calls.Should().Be(MaxAttempts);
        server.DisarmAll();
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceeded")]
    [InlineData("TransactionConflict")]
    public async Task CreateStream_PersistentFaults_Returns503AndCreatesNothing(string fault)
    {
        var type = NewType();
        server.TransactWriteItems.Arm(Fault(fault), times: int.MaxValue);

        using var response = await _client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json($$"""{"initialEvent":{{EventJson()}}}"""));

        await ShouldBeRetryableAsync(response);
        server.DisarmAll();
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData("events")]
    [InlineData("details")]
    [InlineData("streams")]
    public async Task Read_FewerThrottlingFaultsThanAttempts_RetriedInsideAdapterAndAnswered(string resource)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        server.Query.Arm(Fault("Throttling"), times: MaxAttempts - 1);
        server.GetItem.Arm(Fault("Throttling"), times: MaxAttempts - 1);

        using var response = await _client.GetAsync(ReadUri(resource, type, id));

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        body.ToString().Should().Contain(id.ToString());
        (server.Query.Injected + server.GetItem.Injected).Should().Be(MaxAttempts - 1, "one read operation serves the request, retried past its faults");
    }

    [Theory]
    [InlineData("events")]
    [InlineData("details")]
    [InlineData("streams")]
    public async Task Read_PersistentThrottling_Returns503WithRetryAfter(string resource)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        server.Query.Arm(Fault("ProvisionedThroughputExceeded"), times: int.MaxValue);
        server.GetItem.Arm(Fault("ProvisionedThroughputExceeded"), times: int.MaxValue);

        using var response = await _client.GetAsync(ReadUri(resource, type, id));

        await ShouldBeRetryableAsync(response);
        (server.Query.Calls + server.GetItem.Calls).Should().Be(MaxAttempts);
    }

    private static Uri ReadUri(string resource, string type, Guid id) => new(
        resource == "streams" ? $"streams/{type}" : $"streams/{type}/{id}/{resource}",
        UriKind.Relative);

    private static async Task ShouldBeRetryableAsync(HttpResponseMessage response)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        response.Headers.RetryAfter!.Delta.Should().BePositive();
        problem.GetProperty("requestId").GetString().Should().NotBeNullOrEmpty();
        problem.ToString().Should().NotContain("Throttl").And.NotContain("Transaction").And.NotContain("throughput");
    }

    private Task<HttpResponseMessage> PutAsync(string type, Guid id, int revision, Guid eventId) =>
        _client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json($$"""{"event":{{EventJson(eventId: eventId)}}}"""));

    private async Task<JsonElement[]> ReadEventsAsync(string type, Guid id)
    {
        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events").EnumerateArray().ToArray();
    }
}
