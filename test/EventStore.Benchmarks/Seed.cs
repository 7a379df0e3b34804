using ServerlessEventStore.Client;

namespace EventStore.Benchmarks;

/// <summary>Fills a stream with 1 KB events in batches of the most events one append takes.</summary>
internal static class Seed
{
    public static async Task<Guid> StreamAsync(EventStoreClient client, string streamType, int events)
    {
        var stream = Guid.NewGuid();
        var revision = 0;
        while (revision < events)
        {
            var batch = Math.Min(EventStoreClient.MaxEventsPerAppend, events - revision);
            var details = await client.AppendAsync(streamType, stream, revision, Enumerable.Range(0, batch).Select(_ => Payloads.NewEvent()).ToList());
            revision = details.Revision;
        }

        return stream;
    }
}
