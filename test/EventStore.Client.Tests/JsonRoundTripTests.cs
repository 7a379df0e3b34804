using System.Text.Json;
using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

/// <summary>The extremes the API accepts, written and read back through the client, on both stores.</summary>
public abstract class JsonRoundTripTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : EventStoreServerFixture
{
    private readonly EventStoreClient _client = server.CreateClient();

    [Theory]
    [InlineData(nameof(JsonEdgeCases.Nested))]
    [InlineData(nameof(JsonEdgeCases.WidestStrings))]
    [InlineData(nameof(JsonEdgeCases.LongestString))]
    public async Task AppendAsync_PayloadAtTheLimits_ReadsBackTheSameText(string which)
    {
        var payloadText = which switch
        {
            nameof(JsonEdgeCases.Nested) => JsonEdgeCases.Nested(JsonEdgeCases.MaxDepth),
            nameof(JsonEdgeCases.WidestStrings) => JsonEdgeCases.WidestStrings,
            _ => JsonEdgeCases.LongestString,
        };
        var payload = JsonDocument.Parse(payloadText, new JsonDocumentOptions { MaxDepth = 64 }).RootElement;
        var metadata = JsonDocument.Parse(JsonEdgeCases.DeepestMetadata).RootElement.EnumerateObject().ToDictionary(member => member.Name, member => member.Value);
        var (type, id) = (NewStreamType(), Guid.NewGuid());

        await _client.CreateStreamAsync(type, id, new NewEvent(Guid.NewGuid(), "edge", metadata, payload));

        var recorded = await _client.GetEventsAsync(type, id).SingleAsync();
        // The same text: the client sends the payload as it holds it, and the server returns what it stored.
        recorded.Payload.GetRawText().Should().Be(payloadText);
        recorded.Metadata!["deep"].GetRawText().Should().Be(JsonEdgeCases.Nested(JsonEdgeCases.MaxDepth - 1));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task AppendAsync_DotSegmentAsStreamType_ThrowsBeforeSending(string streamType)
    {
        var append = () => _client.CreateStreamAsync(streamType, CountedEvent(1));

        await append.Should().ThrowAsync<ArgumentException>().WithParameterName(nameof(streamType));
    }
}

public sealed class JsonRoundTripTestsOnSqlite(EventStoreServerFixture server) : JsonRoundTripTests<EventStoreServerFixture>(server);

public sealed class JsonRoundTripTestsOnDynamoDb(DynamoDbServerFixture server) : JsonRoundTripTests<DynamoDbServerFixture>(server);
