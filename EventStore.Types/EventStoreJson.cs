using System.Text.Json;

namespace ServerlessEventStore.Types;

/// <summary>The JSON settings used for payloads when the caller gives none.</summary>
public static class EventStoreJson
{
    /// <summary>
    /// System.Text.Json's web defaults: camelCase names, case-insensitive reading, numbers readable from strings. Read-only.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
