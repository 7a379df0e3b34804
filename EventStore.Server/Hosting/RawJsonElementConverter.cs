using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Server.Hosting;

/// <summary>
/// Writes a stored JSON value (a payload, a metadata value) back exactly as it was sent: its raw UTF-8 text, not
/// re-escaped, so that a client reads the bytes it wrote. Values are checked when they are accepted
/// (<see cref="Api.JsonValueCheck"/>), so writing needs no second check. Reading is System.Text.Json's own, with
/// duplicate member names refused.
/// </summary>
internal sealed class RawJsonElementConverter : JsonConverter<JsonElement>
{
    private static readonly JsonSerializerOptions ReadOptions = new() { AllowDuplicateProperties = false };

    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<JsonElement>(ref reader, ReadOptions);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) =>
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
}
