using System.Text.Json;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace EventStore.Benchmarks;

/// <summary>The 1 KB event every benchmark writes, in the shapes the client and the storage port take.</summary>
internal static class Payloads
{
    public const string EventType = "benchmark-event-happened";

    // {"text":"xxx…"} serializes to exactly 1,024 bytes.
    public static readonly BenchmarkPayload OneKilobyte = new(new string('x', 1024 - """{"text":""}""".Length));

    public static readonly string OneKilobyteJson = JsonSerializer.Serialize(OneKilobyte, EventStoreJson.Options);

    public static NewEvent NewEvent() => ServerlessEventStore.Types.NewEvent.Create(EventType, OneKilobyte);

    public static EventToAppend EventToAppend() => new(Guid.NewGuid(), EventType, OneKilobyteJson, null);
}

/// <summary>The benchmark's event payload.</summary>
/// <param name="Text">Filler text.</param>
internal sealed record BenchmarkPayload(string Text);
