using System.Text.Json;
using ServerlessEventStore.Client.Generated;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Tests;

/// <summary>
/// The client's own reader of events reads what the contract's source-generated metadata reads, the same way, and
/// refuses what it refuses: only faster.
/// </summary>
public sealed class RecordedEventReaderTests
{
    private static readonly JsonSerializerOptions Metadata = Options();
    private static readonly JsonSerializerOptions Reader = Options(new RecordedEventReader());

    [Theory]
    [InlineData("""{"streamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","revision":7,"eventId":"5d1f4e4a-7d3b-4e0a-8f43-1c2b3a4d5e6f","eventType":"Deposited","payload":{"amount":12.50,"note":"\u00e9t\u00e9"},"metadata":{"userId":"u-1","trace":{"id":[1,2]}},"createdAt":"2026-12-03T10:15:30.1234567Z"}""")]
    [InlineData("""{"streamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","revision":1,"eventType":"Opened","payload":"a string","createdAt":"2026-12-03T10:15:30Z"}""")]
    [InlineData("""{"createdAt":"2026-12-03T10:15:30+02:00","payload":[1,{"a":null}],"eventType":"Reordered","revision":2147483647,"streamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","eventId":null,"metadata":null}""")]
    [InlineData("""{"\u0073treamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","revision":3,"eventType":"Escaped","payload":null,"createdAt":"2026-12-03T10:15:30Z","addedLater":{"x":[1,2,3]},"more":1}""")]
    [InlineData("""{"streamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","revision":1,"revision":2,"eventType":"Repeated","payload":{"a":1,"a":2},"metadata":{"k":1,"k":2},"createdAt":"2026-12-03T10:15:30Z"}""")]
    [InlineData("""{"revision":4}""")]
    public void Read_WhatTheServerWrites_IsWhatTheMetadataReads(string json)
    {
        var expected = JsonSerializer.Deserialize<RecordedEvent>(json, Metadata)!;

        var read = JsonSerializer.Deserialize<RecordedEvent>(json, Reader)!;

        read.StreamId.Should().Be(expected.StreamId);
        read.Revision.Should().Be(expected.Revision);
        read.EventId.Should().Be(expected.EventId);
        read.EventType.Should().Be(expected.EventType);
        read.CreatedAt.Should().Be(expected.CreatedAt);
        read.CreatedAt.Offset.Should().Be(expected.CreatedAt.Offset);
        read.Payload.ValueKind.Should().Be(expected.Payload.ValueKind);
        if (expected.Payload.ValueKind != JsonValueKind.Undefined)
        {
            read.Payload.GetRawText().Should().Be(expected.Payload.GetRawText());
        }

        read.Metadata?.ToDictionary(entry => entry.Key, entry => entry.Value.GetRawText())
            .Should().BeEquivalentTo(expected.Metadata?.ToDictionary(entry => entry.Key, entry => entry.Value.GetRawText()));
    }

    [Fact]
    public void Read_APageOfEvents_ReadsEveryEvent()
    {
        var events = string.Join(",", Enumerable.Range(1, 50).Select(revision =>
            $$$"""{"streamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","revision":{{{revision}}},"eventType":"E","payload":{"n":{{{revision}}}},"createdAt":"2026-12-03T10:15:30Z"}"""));
        var json = $$$"""{"eventPage":{"events":[{{{events}}}],"hasMore":true,"lastEvaluatedRevision":50}}""";

        var page = JsonSerializer.Deserialize<EventPageResponse>(json, Reader)!.EventPage;

        page.Events.Select(recorded => recorded.Revision).Should().Equal(Enumerable.Range(1, 50));
        page.Events.Select(recorded => recorded.Payload.GetProperty("n").GetInt32()).Should().Equal(Enumerable.Range(1, 50));
        page.HasMore.Should().BeTrue();
        page.LastEvaluatedRevision.Should().Be(50);
    }

    [Theory]
    [InlineData("""[1]""")]
    [InlineData("""{"revision":"7"}""")]
    [InlineData("""{"streamId":"not-a-guid"}""")]
    [InlineData("""{"createdAt":null}""")]
    [InlineData("""{"createdAt":"yesterday"}""")]
    [InlineData("""{"metadata":[1,2]}""")]
    [InlineData("""{"eventId":17}""")]
    public void Read_WhatTheMetadataRefuses_IsRefused(string json)
    {
        var byMetadata = () => JsonSerializer.Deserialize<RecordedEvent>(json, Metadata);
        var byReader = () => JsonSerializer.Deserialize<RecordedEvent>(json, Reader);

        byMetadata.Should().Throw<JsonException>();
        byReader.Should().Throw<JsonException>();
    }

    [Fact]
    public void Write_AnEvent_WritesTheContractsBytes()
    {
        var json = """{"streamId":"0f8e3c1a-6a5e-4f65-9d5c-4b1f1f6f8a01","revision":7,"eventType":"Deposited","payload":{"amount":12.50},"metadata":{"userId":"u-1"},"createdAt":"2026-12-03T10:15:30.1234567+00:00"}""";
        var recorded = JsonSerializer.Deserialize<RecordedEvent>(json, Metadata)!;

        JsonSerializer.Serialize(recorded, Reader).Should().Be(JsonSerializer.Serialize(recorded, Metadata));
    }

    private static JsonSerializerOptions Options(params System.Text.Json.Serialization.JsonConverter[] converters)
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = EventStoreJson.TypeInfoResolver,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new RawJsonElementConverter());
        foreach (var converter in converters)
        {
            options.Converters.Add(converter);
        }

        options.MakeReadOnly();
        return options;
    }
}
