using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EventStore.Testing;
using ServerlessEventStore.Client;

namespace EventStore.Benchmarks;

/// <summary>
/// Events per second reading one 10,000-event stream (1 KB events) at page sizes 100 and 1000: <c>await foreach</c>
/// over <see cref="EventStoreClient.GetEventsAsync(string, Guid, int, CancellationToken)"/> against HttpClient
/// requesting the very same pages and parsing each response minimally (<see cref="JsonDocument"/>: the events' revisions
/// and the paging fields), and, when the report has a base build's server, <c>await foreach</c> against that. All sides
/// are interleaved in one set of rounds; each run reads the whole stream again and again for about the run's length.
/// The server's CPU time over the runs gives its cost per page and per event.
/// </summary>
internal static class ReadBenchmark
{
    public const int StreamLength = 10_000;
    public static readonly int[] PageSizes = [100, 1000];

    /// <summary>
    /// How long a side reads before the next takes its turn, within a round (<see cref="Measure.RoundsAsync"/>): at least
    /// that long, as a slice ends with a whole read of the stream (0.1–0.2 s here), so slices of the slower side run a
    /// little longer; the rates divide by the time measured.
    /// </summary>
    public static readonly TimeSpan Slice = TimeSpan.FromSeconds(0.25);

    private const string StreamType = "bench-read";

    public static async Task<ReadResults> RunAsync(ServerProcess server, ServerProcess? baseServer, ReportOptions options, DiskFlushCounter disk)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var stream = await Seed.StreamAsync(new EventStoreClient(http), StreamType, StreamLength);
        using var baseHttp = baseServer is null ? null : new HttpClient { BaseAddress = baseServer.BaseAddress };
        var baseStream = baseHttp is null ? Guid.Empty : await Seed.StreamAsync(new EventStoreClient(baseHttp), StreamType, StreamLength);

        var sides = PageSizes.Select(pageSize =>
        {
            var client = new EventStoreClient(http, new EventStoreClientOptions { BaseAddress = server.BaseAddress, PageSize = pageSize });
            var baseClient = baseHttp is null ? null : new EventStoreClient(baseHttp, new EventStoreClientOptions { BaseAddress = baseServer!.BaseAddress, PageSize = pageSize });
            return new
            {
                PageSize = pageSize,
                Client = new Side($"client, page size {pageSize}", run => RepeatAsync(run, () => ReadWithClientAsync(client, stream)), server),
                Raw = new Side($"raw HttpClient, page size {pageSize}", run => RepeatAsync(run, () => ReadRawAsync(http, stream, pageSize)), server),
                Base = baseClient is null ? null : new Side($"client to the base build, page size {pageSize}", run => RepeatAsync(run, () => ReadWithClientAsync(baseClient, baseStream)), baseServer),
            };
        }).ToList();
        List<Side> all = [.. sides.SelectMany(s => new[] { s.Client, s.Raw, s.Base }.OfType<Side>())];

        await Measure.WarmUpAsync(all, options.WarmUp);
        var samples = await Measure.RoundsAsync(options.Rounds, options.ReadRun, all, disk, Measure.Slices(options.ReadRun, Slice));
        return new ReadResults([.. sides.Select(s => new PageSizeResults(s.PageSize, samples[s.Client], samples[s.Raw], s.Base is null ? null : samples[s.Base]))]);
    }

    /// <summary>Reads the whole stream until <paramref name="run"/> has passed (at least once).</summary>
    private static async Task<long> RepeatAsync(TimeSpan run, Func<Task<long>> read)
    {
        var started = Stopwatch.GetTimestamp();
        long count = 0;
        do
        {
            count += await read();
        }
        while (Stopwatch.GetElapsedTime(started) < run);

        return count;
    }

    private static async Task<long> ReadWithClientAsync(EventStoreClient client, Guid stream)
    {
        long count = 0;
        await foreach (var recorded in client.GetEventsAsync(StreamType, stream))
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
            var uri = new Uri($"streams/{StreamType}/{stream}/events?after-revision={afterRevision}&limit={pageSize}", UriKind.Relative);
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            using var document = await JsonDocument.ParseAsync(body);
            var page = document.RootElement.GetProperty("eventPage");
            foreach (var recorded in page.GetProperty("events").EnumerateArray())
            {
                count += recorded.GetProperty("revision").GetInt32() > 0 ? 1 : 0;
            }

            hasMore = page.GetProperty("hasMore").GetBoolean();
            afterRevision = page.TryGetProperty("lastEvaluatedRevision", out var last) && last.ValueKind == JsonValueKind.Number ? last.GetInt32() : afterRevision;
        }

        return Check(count);
    }

    private static long Check(long count) =>
        count == StreamLength ? count : throw new InvalidOperationException($"Read {count} events, expected {StreamLength}.");
}

/// <summary>The read figures of one page size: through the client, raw, and through the client to the base build (if any); a sample per round, whose operations are events read.</summary>
internal sealed record PageSizeResults(int PageSize, IReadOnlyList<Sample> Client, IReadOnlyList<Sample> Raw, IReadOnlyList<Sample>? Base)
{
    public Spread ClientToRaw => Ratio.PerRound(Client, Raw);
}

/// <summary>The read figures of a run, and their table.</summary>
internal sealed record ReadResults(IReadOnlyList<PageSizeResults> ByPageSize)
{
    public PageSizeResults this[int pageSize] => ByPageSize.Single(p => p.PageSize == pageSize);

    public string Markdown(int rounds)
    {
        var withBase = ByPageSize.All(p => p.Base is not null);
        string[] baseColumns = withBase ? ["base build, await foreach", "this ÷ base build"] : [];
        var table = new MarkdownTable(
        [
            $"events/s reading a {ReadBenchmark.StreamLength:N0}-event stream, median (range) of {rounds} rounds",
            "await foreach (EventStoreClient)",
            "HttpClient + JsonDocument",
            "client ÷ raw",
            "server CPU per page",
            "per event",
            .. baseColumns,
        ]);
        foreach (var size in ByPageSize)
        {
            var cpuPerEvent = Spread.Of(size.Client.Concat(size.Raw).Select(s => s.ServerCpuMicrosecondsPerOperation));
            string[] baseCells = withBase ? [Spread.Of(size.Base!.Select(s => s.Rate)).Format("N0"), Ratio.PerRound(size.Client, size.Base!).Format("0.00")] : [];
            table.Row(
            [
                $"page size {size.PageSize}",
                Spread.Of(size.Client.Select(s => s.Rate)).Format("N0"),
                Spread.Of(size.Raw.Select(s => s.Rate)).Format("N0"),
                size.ClientToRaw.Format("0.00"),
                string.Create(CultureInfo.InvariantCulture, $"{cpuPerEvent.Median * size.PageSize / 1000:N2} ms"),
                cpuPerEvent.Format("0.0") + " µs",
                .. baseCells,
            ]);
        }

        return table.ToString();
    }
}
