using ServerlessEventStore.Types;
using System.Text.Json;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Reads the JSON text a store keeps for a payload or metadata back into values, the same way in every adapter. Lenient
/// where the API is strict (duplicate member names), so that anything stored before a rule was tightened stays
/// readable; as deep as any response may nest.
/// </summary>
public static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new() { MaxDepth = EventStoreLimits.MaxDocumentDepth };

    /// <summary>A stored payload.</summary>
    /// <param name="json">The payload's JSON text.</param>
    /// <returns>The payload.</returns>
    public static JsonElement Payload(string json) => JsonSerializer.Deserialize<JsonElement>(json, Options);

    /// <summary>Stored metadata.</summary>
    /// <param name="json">The metadata object's JSON text.</param>
    /// <returns>The metadata.</returns>
    public static Dictionary<string, JsonElement>? Metadata(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, Options);
}
