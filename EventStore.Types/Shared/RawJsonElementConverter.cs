using System.Text.Json;
using System.Text.Json.Serialization;
#if NET9_0_OR_GREATER
using System.Runtime.InteropServices;
#endif

namespace ServerlessEventStore.Types;

/// <summary>
/// Writes a JSON value held as a <see cref="JsonElement"/> (a payload, a metadata value) exactly as it was read: its raw
/// UTF-8 text, not re-escaped. Without it System.Text.Json writes strings anew with its encoder, which turns each
/// character outside ASCII into <c>\uXXXX</c> — up to three times the bytes, and not the text that was stored. Reading
/// is System.Text.Json's own. Shared source of the client and the server (linked into both, not part of the Types
/// package), so that both write values the same way.
/// </summary>
internal sealed class RawJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
#if NET9_0_OR_GREATER
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
#else
        writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
#endif
    }
}
