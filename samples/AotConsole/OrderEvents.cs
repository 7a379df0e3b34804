using System.Text.Json;
using System.Text.Json.Serialization;

namespace AotConsole;

internal sealed record OrderPlaced(string Customer);

internal sealed record ItemAdded(string Sku, int Quantity);

/// <summary>Metadata of every event: who asked for it.</summary>
internal sealed record RequestContext(Guid CorrelationId);

/// <summary>The event types' JSON, generated at build time: camelCase, as the event store's own models.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(ItemAdded))]
[JsonSerializable(typeof(RequestContext))]
internal sealed partial class OrderJson : JsonSerializerContext;
