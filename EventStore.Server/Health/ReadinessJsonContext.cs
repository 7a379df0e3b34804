using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessEventStore.Server.Health;

/// <summary>The readiness answer's JSON, made at build time (Native AOT): camelCase, as the API's.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReadinessAnswer))]
internal sealed partial class ReadinessJsonContext : JsonSerializerContext;
