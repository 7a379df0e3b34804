using ServerlessEventStore.Types;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Reads the JSON text a store keeps for a payload or metadata back into values, the same way in every adapter. Lenient
/// where the API is strict (duplicate member names), so that anything stored before a rule was tightened stays
/// readable; as deep as any response may nest.
/// </summary>
public static partial class StoredJson
{

    /// <summary>A stored payload.</summary>
    /// <param name="json">The payload's JSON text.</param>
    /// <returns>The payload.</returns>
    public static JsonElement Payload(string json) => JsonSerializer.Deserialize(json, StoredJsonContext.Default.JsonElement);

    /// <summary>Stored metadata.</summary>
    /// <param name="json">The metadata object's JSON text.</param>
    /// <returns>The metadata.</returns>
    public static Dictionary<string, JsonElement>? Metadata(string json) => JsonSerializer.Deserialize(json, StoredJsonContext.Default.DictionaryStringJsonElement);

    /// <summary>A stored text payload (of the original's events) as the JSON string it is returned as.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The JSON string.</returns>
    public static JsonElement TextPayload(string text) => JsonSerializer.SerializeToElement(text, StoredJsonContext.Default.String);

    [JsonSourceGenerationOptions(MaxDepth = EventStoreLimits.MaxDocumentDepth)]
    [JsonSerializable(typeof(JsonElement))]
    [JsonSerializable(typeof(Dictionary<string, JsonElement>))]
    [JsonSerializable(typeof(string))]
    private sealed partial class StoredJsonContext : JsonSerializerContext;
}
