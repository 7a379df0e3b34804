using System.Globalization;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace EventStore.Benchmarks;

/// <summary>
/// The client's live managed heap while reading 100,000 events with <c>await foreach</c>: sampled every 2,500 events
/// after a full collection (so that garbage the collector has not reached yet does not count: how much of it there is
/// depends on the collector's budgets, not on the client), the peak over the first 10,000 events against the peak over
/// all of them. For a streaming reader the second stays near the first; a reader that collects the events (shown for
/// contrast) grows with the stream.
/// </summary>
internal static class MemoryBenchmark
{
    public const int StreamLength = 100_000;
    private const int SampleEvery = 2_500;

    public static async Task<ClientMemoryResults> RunAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        var client = new EventStoreClient(http);
        var stream = await Seed.StreamAsync(client, "bench-memory", StreamLength);

        var streaming = await ProfileAsync(client, stream, collect: false);
        var collecting = await ProfileAsync(client, stream, collect: true);
        return new ClientMemoryResults(streaming, collecting);
    }

    private static async Task<MemoryProfile> ProfileAsync(EventStoreClient client, Guid stream, bool collect)
    {
        var kept = new List<RecordedEvent>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peakFirstTenth = 0, peak = 0, count = 0;
        await foreach (var recorded in client.GetEventsAsync("bench-memory", stream))
        {
            if (collect)
            {
                kept.Add(recorded);
            }

            if (++count % SampleEvery == 0)
            {
                var heap = GC.GetTotalMemory(forceFullCollection: true) - baseline;
                peak = Math.Max(peak, heap);
                if (count <= StreamLength / 10)
                {
                    peakFirstTenth = peak;
                }
            }
        }

        if (count != StreamLength)
        {
            throw new InvalidOperationException($"Read {count} events, expected {StreamLength}.");
        }

        var allocatedPerEvent = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count;
        GC.KeepAlive(kept);
        return new MemoryProfile(peakFirstTenth, peak, allocatedPerEvent);
    }
}

/// <summary>Live heap above the baseline: peak over the first tenth of the events, peak over all, and bytes allocated per event.</summary>
internal sealed record MemoryProfile(long PeakFirstTenthBytes, long PeakBytes, double AllocatedBytesPerEvent);

/// <summary>The client's heap reading a stream with <c>await foreach</c>, and collecting it for contrast; and their table.</summary>
internal sealed record ClientMemoryResults(MemoryProfile Streaming, MemoryProfile Collecting)
{
    public string Markdown()
    {
        static string[] Cells(string name, MemoryProfile profile) =>
        [
            name,
            string.Create(CultureInfo.InvariantCulture, $"{profile.PeakFirstTenthBytes / 1048576.0:N1} MB"),
            string.Create(CultureInfo.InvariantCulture, $"{profile.PeakBytes / 1048576.0:N1} MB"),
            string.Create(CultureInfo.InvariantCulture, $"{profile.AllocatedBytesPerEvent:N0} B"),
        ];

        return new MarkdownTable(string.Create(CultureInfo.InvariantCulture, $"client's live heap reading {MemoryBenchmark.StreamLength:N0} events (1 KB)"), "peak over first 10%", "peak over all", "allocated per event")
            .Row(Cells("await foreach", Streaming))
            .Row(Cells("contrast: collected into a List", Collecting))
            .ToString();
    }
}
