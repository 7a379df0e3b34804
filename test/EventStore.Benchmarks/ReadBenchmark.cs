using System.Net.Http.Json;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace EventStore.Benchmarks;

/// <summary>
/// Events per second reading one 10,000-event stream: <c>await foreach</c> over <see cref="EventStoreClient.GetEventsAsync(string, Guid, int, CancellationToken)"/>
/// against a hand-written loop of HttpClient + System.Text.Json requesting the very same pages.
/// </summary>
internal static class ReadBenchmark
{
    public const int StreamLength = 10_000;
    public static readonly int[] PageSizes = [100, 1000];
    private const int Rounds = 9;

    // Each timed round reads the stream this many times, so that a round lasts long enough to average out scheduling noise.
    private const int ReadsPerRound = 5;

    public static async Task<IReadOnlyList<(int PageSize, double Client, double Raw)>> RunAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        var stream = await Seed.StreamAsync(new EventStoreClient(http), "bench-read", StreamLength);

        var results = new List<(int, double, double)>();
        foreach (var pageSize in PageSizes)
        {
            var client = new EventStoreClient(http, new EventStoreClientOptions { BaseAddress = server, PageSize = pageSize });
            await ReadWithClientAsync(client, stream);
            await ReadRawAsync(http, stream, pageSize);
            var rates = await Measure.MedianRatesAsync(
                Rounds,
                () => RepeatAsync(() => ReadWithClientAsync(client, stream)),
                () => RepeatAsync(() => ReadRawAsync(http, stream, pageSize)));
            results.Add((pageSize, rates[0], rates[1]));
        }

        return results;
    }

    private static async Task<long> RepeatAsync(Func<Task<long>> read)
    {
        long count = 0;
        for (var i = 0; i < ReadsPerRound; i++)
        {
            count += await read();
        }

        return count;
    }

    private static async Task<long> ReadWithClientAsync(EventStoreClient client, Guid stream)
    {
        long count = 0;
        await foreach (var recorded in client.GetEventsAsync("bench-read", stream))
        {
            count += recorded.Revision > 0 ? 1 : 0;
        }

        return Check(count);
    }

    private static async Task<long> ReadRawAsync(HttpClient http, Guid stream, int pageSize)
    {
        long count = 0;
        var afterRevision = 0;
        var hasMore = true;
        while (hasMore)
        {
            var uri = new Uri($"streams/bench-read/{stream}/events?after-revision={afterRevision}&limit={pageSize}", UriKind.Relative);
            var page = (await http.GetFromJsonAsync<EventPageResponse>(uri))!.EventPage;
            foreach (var recorded in page.Events)
            {
                count += recorded.Revision > 0 ? 1 : 0;
            }

            hasMore = page.HasMore;
            afterRevision = page.LastEvaluatedRevision ?? afterRevision;
        }

        return Check(count);
    }

    private static long Check(long count) =>
        count == StreamLength ? count : throw new InvalidOperationException($"Read {count} events, expected {StreamLength}.");
}
