using System.Net;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

public abstract class ConcurrentAppendTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : EventStoreServerFixture
{
    [Fact]
    public async Task AppendEvents_32ParallelAtSameRevision_OneSucceedsOthersConflict()
    {
        using var client = server.CreateHttpClient();
        var type = NewType();
        var id = await client.CreateStreamAsync(type);

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            using var response = await client.PutAsync(
                new Uri($"streams/{type}/{id}/events/2", UriKind.Relative),
                Json($$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}"""));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1, string.Join("\n", responses.Select(r => r.Body)));
        var conflicts = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        conflicts.Should().HaveCount(31);
        conflicts.Should().OnlyContain(r => r.Body.Contains("\"currentRevision\":2", StringComparison.Ordinal));
        using var events = await client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));
        (await events.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events")
            .EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(1, 2);
    }
}

public sealed class ConcurrentAppendTestsOnSqlite(EventStoreServerFixture server) : ConcurrentAppendTests<EventStoreServerFixture>(server);

public sealed class ConcurrentAppendTestsOnDynamoDb(DynamoDbServerFixture server) : ConcurrentAppendTests<DynamoDbServerFixture>(server);
