using EventStore.Testing;
using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;

namespace EventStore.Benchmarks;

/// <summary>
/// Appends per second, one 1 KB event per append, every writer on a stream of its own, with 16 writers and with 1:
/// <see cref="EventStoreClient"/> over HTTP to the server in its own process (and to a base build's server, when the
/// report has one); the same appends handed straight to the SQLite adapter in this process (<see cref="WriterLoad"/>:
/// writers on their own threads); and the disk's ceiling for one commit per append (<see cref="CommitCeiling"/>), all
/// in one interleaved set of rounds, with the SQLite files in the same folder. Each side's figures are per round, and so
/// are the ratios: a drift of the disk's speed during the run moves both sides of a ratio together.
/// </summary>
internal static class AppendBenchmark
{
    public static readonly int[] WriterCounts = [16, 1];

    /// <summary>How long a side appends before the next takes its turn, within a round (<see cref="Measure.RoundsAsync"/>).</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromSeconds(0.5);

    private const string StreamType = "bench-append";

    public static async Task<AppendResults> RunAsync(ServerProcess server, ServerProcess? baseServer, ReportOptions options, DiskFlushCounter disk)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new EventStoreClient(http);
        using var baseHttp = baseServer is null ? null : new HttpClient { BaseAddress = baseServer.BaseAddress };
        var baseClient = baseHttp is null ? null : new EventStoreClient(baseHttp);
        using var store = await InProcessStore.CreateAsync();
        var storage = store.Storage;
        using var ceiling = new CommitCeiling();

        var sides = WriterCounts.Select(writers => new
        {
            Writers = writers,
            OverHttp = new Side($"HTTP, {Writers(writers)}", run => WriterLoad.RunAsync(writers, run, () => OverHttp(client)), server),
            InProcess = new Side($"in-process, {Writers(writers)}", run => WriterLoad.RunAsync(writers, run, () => InProcess(storage))),
            Base = baseClient is null ? null : new Side($"HTTP to the base build, {Writers(writers)}", run => WriterLoad.RunAsync(writers, run, () => OverHttp(baseClient)), baseServer),
        }).ToList();
        var ceilingSide = new Side("disk ceiling", ceiling.RunAsync);
        List<Side> all = [.. sides.SelectMany(s => new[] { s.OverHttp, s.InProcess, s.Base }.OfType<Side>()), ceilingSide];

        await Measure.WarmUpAsync(all, options.WarmUp);
        var samples = await Measure.RoundsAsync(options.Rounds, options.AppendRun, all, disk, Measure.Slices(options.AppendRun, Slice));
        return new AppendResults(
            [.. sides.Select(s => new WriterCountResults(s.Writers, samples[s.OverHttp], samples[s.InProcess], s.Base is null ? null : samples[s.Base]))],
            samples[ceilingSide]);
    }

    public static string Writers(int count) => count == 1 ? "1 writer" : $"{count} writers";

    /// <summary>A writer on a new stream of its own, through the client.</summary>
    private static Func<Task> OverHttp(EventStoreClient client)
    {
        var stream = Guid.NewGuid();
        var revision = 0;
        return async () => revision = (await client.AppendAsync(StreamType, stream, revision, Payloads.NewEvent())).Revision;
    }

    /// <summary>A writer on a new stream of its own, through the storage port.</summary>
    private static Func<Task> InProcess(SqliteEventStorage storage)
    {
        var stream = Guid.NewGuid();
        var revision = 0;
        return async () =>
        {
            var outcome = await storage.AppendAsync(StreamAppend.Create(StreamType, stream, revision, [Payloads.EventToAppend()]), CancellationToken.None);
            revision = outcome is AppendOutcome.Appended appended ? appended.Stream.Revision : throw new InvalidOperationException($"The append was not stored: {outcome}.");
        };
    }
}

/// <summary>The append figures of one writer count: over HTTP, in-process and (if any) over HTTP to the base build, a sample per round.</summary>
internal sealed record WriterCountResults(int Writers, IReadOnlyList<Sample> OverHttp, IReadOnlyList<Sample> InProcess, IReadOnlyList<Sample>? Base);

/// <summary>The append figures of a run, and their tables.</summary>
internal sealed record AppendResults(IReadOnlyList<WriterCountResults> ByWriters, IReadOnlyList<Sample> Ceiling)
{
    public WriterCountResults this[int writers] => ByWriters.Single(w => w.Writers == writers);

    /// <summary>Each round's rate of <paramref name="side"/> over that round's ceiling.</summary>
    public Spread ToCeiling(IReadOnlyList<Sample> side) => Ratio.PerRound(side, Ceiling);

    public string Markdown(int rounds)
    {
        var withBase = ByWriters.All(w => w.Base is not null);
        var columns = ByWriters.Select(w => AppendBenchmark.Writers(w.Writers)).ToArray();
        string[] Cells(string name, Func<WriterCountResults, string> cell) => [name, .. ByWriters.Select(cell)];
        static string Rate(IEnumerable<Sample> samples) => Spread.Of(samples.Select(s => s.Rate)).Format("N0");
        static string Flushes(IEnumerable<Sample> samples) =>
            samples.All(s => s.DiskFlushesPerOperation is not null) ? Spread.Of(samples.Select(s => s.DiskFlushesPerOperation!.Value)).Format("0.00") : "n/a";

        var rates = new MarkdownTable([$"appends/s, 1 KB events, median (range) of {rounds} rounds", .. columns])
            .Row(Cells("EventStoreClient over HTTP → server process", w => Rate(w.OverHttp)))
            .Row(Cells("SQLite adapter in-process, writers on their own threads", w => Rate(w.InProcess)))
            .Row(Cells("disk ceiling: one INSERT + COMMIT per append (raw Microsoft.Data.Sqlite, one loop)", _ => Rate(Ceiling)))
            .Row(Cells("HTTP ÷ ceiling", w => ToCeiling(w.OverHttp).Format("0.00")))
            .Row(Cells("in-process ÷ ceiling", w => ToCeiling(w.InProcess).Format("0.00")))
            .Row(Cells($"HTTP, the most {Environment.ProcessorCount} cores allow at its CPU per append (server + client) ÷ ceiling", w => Ratio.PerRound(w.OverHttp, Ceiling, s => s.CpuBoundRate).Format("0.00")));
        if (withBase)
        {
            rates.Row(Cells("EventStoreClient over HTTP → the base build's server process", w => Rate(w.Base!)))
                .Row(Cells("HTTP, this build ÷ the base build", w => Ratio.PerRound(w.OverHttp, w.Base!).Format("0.00")));
        }

        var costs = new MarkdownTable(["per append, median (range)", .. columns])
            .Row(Cells("server CPU (user + system), over HTTP", w => Spread.Of(w.OverHttp.Select(s => s.ServerCpuMicrosecondsPerOperation)).Format("N0") + " µs"))
            .Row(Cells("client CPU (the harness's process), over HTTP", w => Spread.Of(w.OverHttp.Select(s => s.HarnessCpuMicrosecondsPerOperation)).Format("N0") + " µs"))
            .Row(Cells("disk flushes, over HTTP", w => Flushes(w.OverHttp)))
            .Row(Cells("disk flushes, in-process", w => Flushes(w.InProcess)))
            .Row(Cells("disk flushes, ceiling (one commit per append)", _ => Flushes(Ceiling)));
        if (withBase)
        {
            costs.Row(Cells("server CPU (user + system), over HTTP to the base build", w => Spread.Of(w.Base!.Select(s => s.ServerCpuMicrosecondsPerOperation)).Format("N0") + " µs"))
                .Row(Cells("disk flushes, over HTTP to the base build", w => Flushes(w.Base!)));
        }

        return $"{rates}\n{costs}";
    }
}
