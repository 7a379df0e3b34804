using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessEventStore.Types.Tests;

/// <summary>
/// The models through <see cref="EventStoreJson.TypeInfoResolver"/> (source-generated, for AOT apps) write the same bytes
/// as through reflection, with the options of the client and of the server; and the JsonTypeInfo overloads of the
/// payload and metadata helpers behave as their reflection-based twins.
/// </summary>
public class SourceGeneratedJsonTests
{
    private const string StreamId = "2886e475-d5cc-40f7-aec5-401071388b3c";
    private const string EventId = "7b0c9f5e-4d7f-4f44-9f5a-8a6c3c1d2e10";
    private const string Event =
        $$$"""{"streamId":"{{{StreamId}}}","revision":1,"eventId":"{{{EventId}}}","eventType":"placed","payload":{"customer":"Zoë \u00e9","lines":[1,2.5,null]},"metadata":{"correlationId":"c-1"},"createdAt":"2025-02-24T08:49:00.123+00:00","extra":{"a":[true]}}""";

    public static TheoryData<Type, string> WireDocuments => new()
    {
        { typeof(SystemStatus), """{"status":"ok","at":"2025-02-24T08:49:00+00:00"}""" },
        { typeof(CreateStreamRequest), """{"initialEvent":{"eventType":"user-created","payload":"{\"name\":\"test name\"}"}}""" },
        { typeof(AppendEventsRequest), $$$"""{"event":{"eventId":"{{{EventId}}}","eventType":"x","payload":{"a":1},"metadata":{"m":"v"}},"extra":1}""" },
        { typeof(AppendEventsRequest), """{"events":[{"eventType":"x","payload":1},{"eventType":"y","payload":[1,"two"]}]}""" },
        { typeof(StreamResponse), $$$"""{"stream":{"streamId":"{{{StreamId}}}","streamType":"order","revision":2,"updatedAt":"2025-02-24T08:49:00.1234567+00:00"}}""" },
        { typeof(StreamPageResponse), $$$"""{"streamPage":{"streams":[{"streamId":"{{{StreamId}}}","streamType":"order","revision":1,"updatedAt":"2025-02-24T08:49:00+00:00"}],"hasMore":true,"nextPageKey":"AAAA-_"}}""" },
        { typeof(StreamTypePageResponse), """{"streamTypePage":{"streamTypes":["order","cart"],"hasMore":false}}""" },
        { typeof(EventPageResponse), $$$"""{"eventPage":{"events":[{{{Event}}}],"hasMore":false,"lastEvaluatedRevision":1}}""" },
        { typeof(StreamTypeEventPageResponse), $$$"""{"streamTypeEventPage":{"events":[{"event":{{{Event}}},"checkpoint":"c1"}],"hasMore":true,"checkpoint":"c1"}}""" },
        { typeof(RemovalResult), """{"complete":false}""" },
        { typeof(Problem), """{"type":"about:blank","title":"Conflict","status":409,"detail":"Stream moved on.","instance":"/streams/order","requestId":"r-1","currentRevision":3,"errors":{"events[0].payload":["The payload is required."]},"traceId":"t-1"}""" },
        { typeof(StreamNotification), $$$"""{"StreamId":"{{{StreamId}}}","StreamType":"order","StreamRevision":"18"}""" },
        { typeof(StreamNotification), $$$"""{"StreamId":"{{{StreamId}}}","StreamType":"order","StreamRevision":"18","Change":"truncated","TruncatedBefore":"5"}""" },
    };

    [Theory]
    [MemberData(nameof(WireDocuments))]
    public void Serialize_ThroughTheSourceGeneratedResolver_WritesTheReflectionSerializersBytes(Type type, string json)
    {
        foreach (var shape in new[] { "client", "server" })
        {
            var reflection = Options(shape, new DefaultJsonTypeInfoResolver());
            var generated = Options(shape, EventStoreJson.TypeInfoResolver);
            var readByReflection = JsonSerializer.Deserialize(json, type, reflection);
            var readGenerated = JsonSerializer.Deserialize(json, type, generated);

            var expected = JsonSerializer.Serialize(readByReflection, type, reflection);
            JsonSerializer.Serialize(readByReflection, type, generated).Should().Be(expected, $"the {shape}'s options write {type.Name}");
            JsonSerializer.Serialize(readGenerated, type, generated).Should().Be(expected, $"the {shape}'s options read {type.Name}");
        }
    }

    [Fact]
    public void ToMessageBody_AnAppend_IsTheOriginalsMessage()
    {
        var notification = new StreamNotification(Guid.Parse(StreamId), "order", 18);

        StreamNotificationConverter.ToMessageBody(notification)
            .Should().Be($$$"""{"StreamId":"{{{StreamId}}}","StreamType":"order","StreamRevision":"18"}""");
    }

    [Fact]
    public void Create_WithJsonTypeInfo_HoldsThePayloadReflectionWouldWrite()
    {
        var placed = new OrderPlaced("Zoë", 3);

        var created = NewEvent.Create("placed", placed, TestEventsJsonContext.Default.OrderPlaced, Guid.Parse(EventId));

        created.EventId.Should().Be(Guid.Parse(EventId));
        created.Metadata.Should().BeNull();
        created.Payload.GetRawText().Should().Be(NewEvent.Create("placed", placed).Payload.GetRawText());
    }

    [Fact]
    public void Create_WithJsonTypeInfoAndNoEventId_GivesTheEventANewId()
    {
        var created = NewEvent.Create("placed", new OrderPlaced("ACME", 1), TestEventsJsonContext.Default.OrderPlaced);

        created.EventId.Should().NotBeNull().And.NotBe(Guid.Empty);
    }

    [Fact]
    public void Create_WithJsonTypeInfoAndDictionaryMetadata_TakesItAsItIs()
    {
        var metadata = new Dictionary<string, JsonElement> { ["raw"] = JsonDocument.Parse("""{"é":"\u00e9"}""").RootElement };

        var created = NewEvent.Create("placed", new OrderPlaced("ACME", 1), TestEventsJsonContext.Default.OrderPlaced, metadata: metadata);

        created.Metadata.Should().BeSameAs(metadata);
    }

    [Fact]
    public void Create_WithTypedMetadata_HoldsItsMembersAsReflectionWould()
    {
        var context = new RequestContext(Guid.Parse(EventId), "checkout");

        var created = NewEvent.Create(
            "placed", new OrderPlaced("ACME", 1), TestEventsJsonContext.Default.OrderPlaced, context, TestEventsJsonContext.Default.RequestContext);

        created.Metadata!.ToDictionary(member => member.Key, member => member.Value.GetRawText())
            .Should().Equal(NewEvent.Create("placed", 1, metadata: context).Metadata!.ToDictionary(member => member.Key, member => member.Value.GetRawText()));
    }

    [Fact]
    public void Create_WithTypedMetadataThatIsNoJsonObject_ThrowsArgumentExceptionNamingIt()
    {
        var create = () => NewEvent.Create(
            "placed", new OrderPlaced("ACME", 1), TestEventsJsonContext.Default.OrderPlaced, "text", TestEventsJsonContext.Default.String);

        create.Should().Throw<ArgumentException>().WithParameterName("metadata").WithMessage("*JSON object*String*");
    }

    [Fact]
    public void Create_WithJsonTypeInfoAndNoEventType_ThrowsArgumentException()
    {
        var create = () => NewEvent.Create(string.Empty, new OrderPlaced("ACME", 1), TestEventsJsonContext.Default.OrderPlaced);

        create.Should().Throw<ArgumentException>().WithParameterName("eventType");
    }

    [Fact]
    public void Create_NullJsonTypeInfo_ThrowsArgumentNullException()
    {
        var create = () => NewEvent.Create("placed", new OrderPlaced("ACME", 1), (JsonTypeInfo<OrderPlaced>)null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("payloadTypeInfo");
    }

    [Theory]
    [InlineData("""{"customer":"ACME","quantity":3}""")]
    [InlineData("""  "{\"customer\":\"ACME\",\"quantity\":3}"  """)]
    public void GetPayload_WithJsonTypeInfo_ReadsObjectsAndJsonInStrings(string payload)
    {
        var recorded = Recorded(payload, metadata: "null");

        recorded.GetPayload(TestEventsJsonContext.Default.OrderPlaced).Should().Be(new OrderPlaced("ACME", 3));
    }

    [Fact]
    public void GetPayload_WithJsonTypeInfoForString_ReadsTheStringItself()
    {
        var recorded = Recorded("\"{\\\"a\\\":1}\"", metadata: "null");

        recorded.GetPayload(TestEventsJsonContext.Default.String).Should().Be("""{"a":1}""");
    }

    [Fact]
    public void GetPayload_WithJsonTypeInfoNotOfTheType_ThrowsJsonException()
    {
        var recorded = Recorded("""{"quantity":"many"}""", metadata: "null");

        recorded.Invoking(r => r.GetPayload(TestEventsJsonContext.Default.OrderPlaced)).Should().Throw<JsonException>();
    }

    [Fact]
    public void GetMetadata_WithJsonTypeInfo_ReadsItBack()
    {
        var recorded = Recorded("1", $$$"""{"correlationId":"{{{EventId}}}","causedBy":"checkout"}""");

        recorded.GetMetadata(TestEventsJsonContext.Default.RequestContext).Should().Be(new RequestContext(Guid.Parse(EventId), "checkout"));
    }

    [Fact]
    public void GetMetadata_WithJsonTypeInfoAndNoMetadata_ReturnsDefault()
    {
        Recorded("1", "null").GetMetadata(TestEventsJsonContext.Default.RequestContext).Should().BeNull();
    }

    private static RecordedEvent Recorded(string payload, string metadata) =>
        JsonSerializer.Deserialize<RecordedEvent>(
            $$$"""{"streamId":"{{{StreamId}}}","revision":1,"eventType":"placed","payload":{{{payload}}},"metadata":{{{metadata}}},"createdAt":"2025-02-24T08:49:00Z"}""")!;

    // The shapes of the client's transport (default options) and the server's (web defaults); both leave nulls out.
    private static JsonSerializerOptions Options(string shape, IJsonTypeInfoResolver resolver) =>
        new(shape == "server" ? JsonSerializerDefaults.Web : JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = EventStoreLimits.MaxDocumentDepth,
            TypeInfoResolver = resolver,
        };
}

internal sealed record OrderPlaced(string Customer, int Quantity);

internal sealed record RequestContext(Guid CorrelationId, string CausedBy);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(RequestContext))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestEventsJsonContext : JsonSerializerContext;
