using System.Text.Json;

namespace ServerlessEventStore.Types.Tests;

/// <summary>Metadata given as any object to <see cref="NewEvent.Create{T}(string, T, Guid?, object?, JsonSerializerOptions?)"/> and read back typed from a <see cref="RecordedEvent"/>.</summary>
public class MetadataTests
{
    private static readonly Guid CorrelationId = Guid.Parse("7b0c9f5e-4d7f-4f44-9f5a-8a6c3c1d2e10");

    public static TheoryData<object> NotObjects => new()
    {
        "text",
        42,
        new List<int> { 1, 2 },
        JsonDocument.Parse("null").RootElement,
    };

    [Fact]
    public void Create_AnonymousObjectAsMetadata_HoldsItsMembersInCamelCase()
    {
        var created = NewEvent.Create("placed", new { Total = 3 }, metadata: new { CorrelationId, Attempt = 2 });

        created.Metadata.Should().NotBeNull();
        created.Metadata!.Keys.Should().Equal("correlationId", "attempt");
        created.Metadata["correlationId"].GetGuid().Should().Be(CorrelationId);
        created.Metadata["attempt"].GetInt32().Should().Be(2);
    }

    [Fact]
    public void Create_DictionaryOfJsonElementsAsMetadata_TakesItAsItIs()
    {
        var metadata = new Dictionary<string, JsonElement> { ["Raw"] = JsonDocument.Parse("""{"é":"\u00e9"}""").RootElement };

        var created = NewEvent.Create("placed", 1, metadata: metadata);

        created.Metadata.Should().BeSameAs(metadata);
        created.Metadata!["Raw"].GetRawText().Should().Be("""{"é":"\u00e9"}""");
    }

    [Fact]
    public void Create_NullMetadata_HasNone()
    {
        NewEvent.Create("placed", 1, metadata: null).Metadata.Should().BeNull();
    }

    [Fact]
    public void Create_WithOptions_SerializesMetadataWithThem()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        var created = NewEvent.Create("placed", 1, metadata: new RequestContext(CorrelationId, "checkout"), options: options);

        created.Metadata!.Keys.Should().Equal("correlation_id", "caused_by");
    }

    [Theory]
    [MemberData(nameof(NotObjects))]
    public void Create_MetadataThatIsNoJsonObject_ThrowsArgumentExceptionNamingIt(object metadata)
    {
        var create = () => NewEvent.Create("placed", 1, metadata: metadata);

        create.Should().Throw<ArgumentException>().WithParameterName(nameof(metadata)).WithMessage("*JSON object*");
    }

    [Fact]
    public void Create_MetadataWithAMemberTwice_ThrowsArgumentExceptionNamingIt()
    {
        using var twice = JsonDocument.Parse("""{"a":1,"a":2}""");

        var create = () => NewEvent.Create("placed", 1, metadata: twice);

        create.Should().Throw<ArgumentException>().WithParameterName("metadata").WithMessage("*'a' twice*");
    }

    [Fact]
    public void GetMetadata_ObjectGivenToCreate_ReadsBackTheSameAfterTheWire()
    {
        var context = new RequestContext(CorrelationId, "checkout");
        var created = NewEvent.Create("placed", 1, metadata: context);

        var recorded = Recorded(JsonSerializer.Serialize(created.Metadata));

        recorded.GetMetadata<RequestContext>().Should().Be(context);
    }

    [Fact]
    public void GetMetadata_NoMetadata_ReturnsDefault()
    {
        Recorded("null").GetMetadata<RequestContext>().Should().BeNull();
    }

    [Fact]
    public void GetMetadata_WithOptions_ReadsWithThem()
    {
        var recorded = Recorded("""{"correlation_id":"7b0c9f5e-4d7f-4f44-9f5a-8a6c3c1d2e10","caused_by":"checkout"}""");

        recorded.GetMetadata<RequestContext>(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            .Should().Be(new RequestContext(CorrelationId, "checkout"));
    }

    [Fact]
    public void GetMetadata_NotOfTheType_ThrowsJsonException()
    {
        var recorded = Recorded("""{"correlationId":"not a guid"}""");

        recorded.Invoking(r => r.GetMetadata<RequestContext>()).Should().Throw<JsonException>();
    }

    private static RecordedEvent Recorded(string metadataJson) =>
        JsonSerializer.Deserialize<RecordedEvent>(
            $$"""{"streamId":"{{Guid.NewGuid()}}","revision":1,"eventType":"placed","payload":1,"metadata":{{metadataJson}},"createdAt":"2025-02-24T08:49:00Z"}""")!;

    private sealed record RequestContext(Guid CorrelationId, string CausedBy);
}
