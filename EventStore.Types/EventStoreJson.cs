using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessEventStore.Types;

/// <summary>The JSON of the event store: its models' metadata, and the settings used for payloads when the caller gives none.</summary>
public static class EventStoreJson
{
    /// <summary>
    /// System.Text.Json's web defaults (<see cref="JsonSerializerOptions.Web"/>): camelCase names, case-insensitive
    /// reading, numbers readable from strings. Read-only. They resolve types by reflection, which trimmed and Native AOT
    /// apps do not allow: there, serialize payloads and metadata with source-generated metadata of your own (the
    /// overloads taking a <see cref="JsonTypeInfo{T}"/>) and the event store's models with <see cref="TypeInfoResolver"/>.
    /// </summary>
    public static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode(ReflectionJson.UnreferencedCode)]
        [RequiresDynamicCode(ReflectionJson.DynamicCode)]
        get => JsonSerializerOptions.Web;
    }

    /// <summary>
    /// Source-generated metadata (System.Text.Json) of the event store's models — requests, responses, pages, events,
    /// problem details — and of <see cref="StreamNotification"/>: their JSON without reflection, for trimmed and Native
    /// AOT apps, the same byte for byte as the reflection-based serializer's. Make it the resolver of your options, or
    /// put it first in their chain: <c>options.TypeInfoResolverChain.Insert(0, EventStoreJson.TypeInfoResolver)</c>
    /// (with a context of your own for your types after it).
    /// </summary>
    public static IJsonTypeInfoResolver TypeInfoResolver => EventStoreJsonContext.Default;
}
