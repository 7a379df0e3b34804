using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessEventStore.Types;

/// <summary>
/// System.Text.Json source-generated metadata of the event store's models and notifications, handed out as
/// <see cref="EventStoreJson.TypeInfoResolver"/>. Its own options are System.Text.Json's web defaults, as
/// <see cref="EventStoreJson.Options"/>; the notifications' converter writes their JSON itself.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(CreateStreamRequest))]
[JsonSerializable(typeof(AppendEventsRequest))]
[JsonSerializable(typeof(StreamResponse))]
[JsonSerializable(typeof(StreamPageResponse))]
[JsonSerializable(typeof(StreamTypePageResponse))]
[JsonSerializable(typeof(EventPageResponse))]
[JsonSerializable(typeof(StreamTypeEventPageResponse))]
[JsonSerializable(typeof(RemovalResult))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(StreamNotification))]
internal sealed partial class EventStoreJsonContext : JsonSerializerContext;
