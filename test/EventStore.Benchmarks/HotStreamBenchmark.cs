using EventStore.Testing;
using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;

namespace EventStore.Benchmarks;

/// <summary>
/// 16 writers on one stream, as optimistic writers of one aggregate do it: read the stream's revision, append after it,
/// and on a conflict (409, another writer was first) read again and retry. Over HTTP and in-process (writers on their
/// own threads, <see cref="WriterLoad"/>), interleaved, each run on a new stream: successful appends per second, and
/// the conflicts that cost.
/// </summary>
internal static class HotStreamBenchmark
{
    public const int Writers = 16;
    private const string StreamType = "bench-hot";

    public static async Task<HotStreamResults> RunAsync(ServerProcess server, ReportOptions options, DiskFlushCounter disk)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new EventStoreClient(http);
        using var store = await InProcessStore.CreateAsync();
        var overHttp = new Contention(stream => OverHttpAsync(client, stream));
        var inProcess = new Contention(stream => InProcessAsync(store.Storage, stream));
        var sides = new[] { new Side("HTTP, one stream", overHttp.RunAsync, server), new Side("in-process, one stream", inProcess.RunAsync) };

        await Measure.WarmUpAsync(sides, options.WarmUp);
        overHttp.Conflicts.Clear();
        inProcess.Conflicts.Clear();
        var samples = await Measure.RoundsAsync(options.Rounds, options.AppendRun, sides, disk);
        return new HotStreamResults(samples[sides[0]], overHttp.Conflicts, samples[sides[1]], inProcess.Conflicts);
    }

    /// <summary>Creates the stream through the client; an attempt reads its revision and appends after it.</summary>
    private static async Task<Func<Task<bool>>> OverHttpAsync(EventStoreClient client, Guid stream)
    {
        await client.CreateStreamAsync(StreamType, stream, Payloads.NewEvent());
        return async () =>
        {
            try
            {
                var revision = (await client.GetStreamAsync(StreamType, stream)).Revision;
                await client.AppendAsync(StreamType, stream, revision, Payloads.NewEvent());
                return true;
            }
            catch (WrongExpectedRevisionException)
            {
                return false;
            }
        };
    }

    /// <summary>Creates the stream through the storage port; an attempt reads its revision and appends after it.</summary>
    private static async Task<Func<Task<bool>>> InProcessAsync(SqliteEventStorage storage, Guid stream)
    {
        await AppendAsync(storage, stream, 0);
        return async () =>
        {
            var revision = (await storage.GetStreamAsync(StreamType, stream, CancellationToken.None))!.Revision;
            return await AppendAsync(storage, stream, revision);
        };
    }

    /// <summary>Whether the append at <paramref name="revision"/> was stored (false: another writer was first).</summary>
    private static async Task<bool> AppendAsync(SqliteEventStorage storage, Guid stream, int revision) =>
        await storage.AppendAsync(StreamAppend.Create(StreamType, stream, revision, [Payloads.EventToAppend()]), CancellationToken.None) switch
        {
            AppendOutcome.Appended => true,
            AppendOutcome.WrongExpectedRevision => false,
            var outcome => throw new InvalidOperationException($"The append was not stored: {outcome}."),
        };

    /// <summary>
    /// One side's writers, on a new stream each run, and the conflicts per successful append of each run.
    /// </summary>
    /// <param name="start">Creates the stream and makes the attempt: one read and one append, true when the append was stored.</param>
    private sealed class Contention(Func<Guid, Task<Func<Task<bool>>>> start)
    {
        public List<double> Conflicts { get; } = [];

        public async Task<long> RunAsync(TimeSpan run)
        {
            var attempt = await start(Guid.NewGuid());
            long conflicts = 0;
            var appends = await WriterLoad.RunAsync(Writers, run, () => async () =>
            {
                while (!await attempt())
                {
                    Interlocked.Increment(ref conflicts);
                }
            });
            Conflicts.Add(conflicts / (double)appends);
            return appends;
        }
    }
}

/// <summary>The hot-stream figures: a sample and a conflicts-per-append figure per round, over HTTP and in-process.</summary>
internal sealed record HotStreamResults(IReadOnlyList<Sample> OverHttp, IReadOnlyList<double> HttpConflicts, IReadOnlyList<Sample> InProcess, IReadOnlyList<double> InProcessConflicts)
{
    public string Markdown(int rounds) =>
        new MarkdownTable(
                $"{HotStreamBenchmark.Writers} writers on one stream: read its revision, append, on 409 read again; median (range) of {rounds} rounds",
                "successful appends/s",
                "conflicts per append")
            .Row("EventStoreClient over HTTP → server process", Spread.Of(OverHttp.Select(s => s.Rate)).Format("N0"), Spread.Of(HttpConflicts).Format("0.00"))
            .Row("SQLite adapter in-process, writers on their own threads", Spread.Of(InProcess.Select(s => s.Rate)).Format("N0"), Spread.Of(InProcessConflicts).Format("0.00"))
            .ToString();
}
