using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Client.Generated;

internal partial class EventStoreTransport
{
    // Optional members are left out of requests rather than sent as null, as the original API's clients do.
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}
