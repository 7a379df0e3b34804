using System.Net;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Faults;

/// <summary>
/// DynamoDB Local (an own instance, kept on disk) stopped under a running server: every request answers 503 with
/// Retry-After and a request id, never 500 or 409; once it is back, the server recovers with the data intact.
/// </summary>
public sealed class DynamoDbOutageTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"ddb-outage-{Guid.NewGuid():N}");
    private DynamoDbLocal _dynamoDb = null!;
    private DynamoDbServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _dynamoDb = await DynamoDbLocal.StartAsync(_dataDirectory);
        _server = DynamoDbServerFixture.Create(_dynamoDb, new Dictionary<string, string?>
        {
            ["EventStore:DynamoDb:MaxAttempts"] = "2",
            ["EventStore:DynamoDb:BaseDelay"] = "00:00:00.010",
        });
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dynamoDb.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task Requests_DynamoDbStoppedThenRestarted_Answer503WhileDownAndRecoverWithDataIntact()
    {
        using var client = _server.CreateHttpClient();
        var type = NewType();
        var id = Guid.NewGuid();
        var firstEvent = Guid.NewGuid();
        using (var created = await client.PutAsync(EventsUri(type, id, 1), Json($$"""{"event":{{EventJson(eventId: firstEvent)}}}""")))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created);
        }

        await _dynamoDb.StopAsync();
        var whileDown = await Task.WhenAll(
            client.PutAsync(EventsUri(type, id, 2), Json($$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""")),
            client.PutAsync(EventsUri(type, Guid.NewGuid(), 1), Json($$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""")),
            client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json($$"""{"initialEvent":{{EventJson()}}}""")),
            client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative)),
            client.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative)),
            client.GetAsync(new Uri($"streams/{type}", UriKind.Relative)));
        try
        {
            foreach (var response in whileDown)
            {
                await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
                response.Headers.RetryAfter!.Delta.Should().BePositive();
            }
        }
        finally
        {
            foreach (var response in whileDown)
            {
                response.Dispose();
            }
        }

        await _dynamoDb.RestartAsync();
        var secondEvent = Guid.NewGuid();
        using var appended = await client.PutAsync(EventsUri(type, id, 2), Json($$"""{"event":{{EventJson(eventId: secondEvent)}}}"""));
        using var read = await client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));

        (await appended.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(2);
        (await read.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("revision").GetInt32(), e.GetProperty("eventId").GetGuid()))
            .Should().Equal((1, firstEvent), (2, secondEvent));
        (await client.CountStreamsAsync(type)).Should().Be(1, "nothing tried during the outage was stored");
    }

    private static Uri EventsUri(string type, Guid id, int revision) => new($"streams/{type}/{id}/events/{revision}", UriKind.Relative);
}
