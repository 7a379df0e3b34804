using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>Writes times in UTC with a <c>Z</c>, as the original service did, keeping sub-millisecond digits.</summary>
internal sealed class UtcDateTimeOffsetJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
