using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>
/// The README's performance figures from one run: the builds for the cold start are published first (so that no build
/// runs while anything is timed), then one server process (the build next to this harness, Production settings,
/// console logging, a fresh SQLite file in the temporary folder) takes the append, hot-stream, read and client-memory
/// loads and has its memory read after them, then the cold starts. The report, in Markdown with the command and the
/// machine, goes to a file and to standard output; progress goes to standard error.
/// </summary>
internal static class PerformanceReport
{
    private const string Command = "dotnet run -c Release --project test/EventStore.Benchmarks --";

    public static async Task RunAsync(ReportOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var loadAtStart = MachineInfo.LoadAverage();
        var disk = new DiskFlushCounter(Path.GetTempPath());
        var body = new StringBuilder();

        // Writers that block in a synchronous store call must not wait for the thread pool to grow.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * AppendBenchmark.WriterCounts.Max()), completionPorts);

        var builds = options.Includes("cold-start") ? await ColdStartBenchmark.PublishAsync() : null;

        async Task<T?> SectionAsync<T>(string section, string title, string text, Func<Task<T>> run, Func<T, string> table)
            where T : class
        {
            if (!options.Includes(section))
            {
                return null;
            }

            Console.Error.WriteLine(title);
            var result = await run();
            Section(body, title, text, table(result));
            return result;
        }

        await SectionAsync("test-server", "The testing package's server", TestServerText, () => TestServerBenchmark.RunAsync(options.Rounds), t => t.Markdown(options.Rounds));

        AppendResults? appends = null;
        ReadResults? reads = null;
        ServerMemory? memory = null;
        if (options.Sections.Any(s => s is not ("cold-start" or "test-server")))
        {
            await using var server = await ServerProcess.StartAsync();
            var idle = server.ResidentBytes();
            await using var baseServer = options.BaseServerDll is { } dll ? await ServerProcess.StartAsync(new ServerProcessSettings { ServerDll = dll }) : null;
            appends = await SectionAsync("appends", "Appends", AppendsText(options), () => AppendBenchmark.RunAsync(server, baseServer, options, disk), a => a.Markdown(options.Rounds));
            await SectionAsync("hot-stream", "One hot stream", HotStreamText(options), () => HotStreamBenchmark.RunAsync(server, options, disk), h => h.Markdown(options.Rounds));
            reads = await SectionAsync("reads", "Reads", ReadsText(options), () => ReadBenchmark.RunAsync(server, baseServer, options, disk), r => r.Markdown(options.Rounds));
            await SectionAsync("client-memory", "Client memory", ClientMemoryText, () => MemoryBenchmark.RunAsync(server.BaseAddress), m => m.Markdown());
            memory = await ServerMemory.AfterLoadAsync(server, idle);
            Section(body, "Server memory", ServerMemoryText, memory.Markdown());
        }

        var coldStart = await SectionAsync("cold-start", "Cold start", ColdStartText, () => ColdStartBenchmark.RunAsync(builds!, options.Rounds), c => c.Markdown(options.Rounds));

        Section(body, "Targets", TargetsText(options), Targets.Markdown(appends, reads, memory, coldStart));
        var report = Header(options, disk, loadAtStart, Stopwatch.GetElapsedTime(started)) + body;

        var output = Path.GetFullPath(options.OutputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        Console.Error.WriteLine($"report: {output}");
        if (options.ReadmePath is { } readme)
        {
            await ReadmeSection.ReplaceAsync(readme, report);
            Console.Error.WriteLine($"updated: {Path.GetFullPath(readme)}");
        }

        Console.WriteLine(report);
    }

    private static string Header(ReportOptions options, DiskFlushCounter disk, string loadAtStart, TimeSpan elapsed)
    {
        var header = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Figures from one run of `{Command} {options.CommandLine}` on {DateTime.UtcNow:yyyy-MM-dd} (UTC), ")
            .Append(CultureInfo.InvariantCulture, $"{elapsed.TotalMinutes:0.0} minutes: {MachineInfo.Describe(disk)}. ")
            .Append(CultureInfo.InvariantCulture, $"Load average (1 min) {loadAtStart} at the start, {MachineInfo.LoadAverage()} at the end.\n");
        if (options.Quick)
        {
            header.Append("\n**A quick run** (`--quick`): rounds too short and too few to compare builds by.\n");
        }

        return header.ToString();
    }

    private static void Section(StringBuilder body, string title, string text, string table) =>
        body.Append(CultureInfo.InvariantCulture, $"\n**{title}**: {text}\n\n{table}");

    private static string AppendsText(ReportOptions options) => string.Create(
        CultureInfo.InvariantCulture,
        $"16 writers and 1 writer, each on a new stream of its own, one 1 KB event per append. Over HTTP: `EventStoreClient` to the server process. In-process: the same appends straight to the SQLite adapter, each writer started on a thread of its own. Ceiling: one raw Microsoft.Data.Sqlite loop doing one INSERT and one COMMIT per append (WAL, `synchronous = FULL`), the most appends/s one commit per append allows, its file in the same folder as the others. Each side runs {options.AppendRun.TotalSeconds:0.#} s a round, in {Measure.DescribeSlices(options.AppendRun, AppendBenchmark.Slice)}, the sides taking turns slice by slice, round-robin; the ratios are each round's. Disk flushes are the disk's flush counter (`/proc/diskstats`) over a run divided by its appends: the whole disk's, so anything else writing meanwhile counts too. Server CPU is its process's user + system time over a run divided by its appends, client CPU the harness's own (over HTTP it is the client, on the same cores); the most the cores allow is their number divided by the two together: a rate no disk can lift.");

    private static string HotStreamText(ReportOptions options) => string.Create(
        CultureInfo.InvariantCulture,
        $"{HotStreamBenchmark.Writers} writers on one new stream each run, each in a loop: read the stream's revision, append one 1 KB event after it, on 409 (another writer was first) read again and retry. {options.AppendRun.TotalSeconds:0.#} s a side a round; conflicts per successful append.");

    private static string ReadsText(ReportOptions options) => string.Create(
        CultureInfo.InvariantCulture,
        $"one {ReadBenchmark.StreamLength:N0}-event stream (1 KB events) read whole, again and again for {options.ReadRun.TotalSeconds:0.#} s a side a round, in {Measure.DescribeSlices(options.ReadRun, ReadBenchmark.Slice, "at least ")} (each ends with a whole read), the sides taking turns slice by slice (so that the ratios of a round compare sides that met the same drifts of a shared machine): `await foreach` over `GetEventsAsync` against HttpClient requesting the same pages and reading each response with `JsonDocument` (the events' revisions, `hasMore`, `lastEvaluatedRevision`). Server CPU is over both sides' runs.");

    private const string ClientMemoryText =
        "the client's live managed heap above its baseline while reading one stream, sampled every 2,500 events after a full collection (garbage not collected yet does not count). For a reader that streams, the peak over the whole read stays near the peak over the first tenth; the contrast row keeps every event, and shows what a client that buffered would look like.";

    private const string ServerMemoryText =
        "the server process's resident set (`VmRSS`) right after it started, right after all the loads above, and after it then stayed idle (its idle trimmer checks every 10 s).";

    private const string TestServerText =
        "`ServerlessEventStore.Testing`'s `EventStoreTestServer.StartAsync()` (Kestrel on a free loopback port, a new temporary SQLite file) to the 201 of a first append through its client, a 1 KB event to a new stream, in the harness's process; then its disposal (stop, folder deleted). Against the same server started as a process of its own and polled to its first 201. The run's first in-process start is apart (it compiles the server's code); then the sides take turns, once each a round. This section runs first, before any other part of the harness runs server code in its process.";

    private const string ColdStartText =
        "from starting the process (through the harness's launcher: `setsid`, with a watchdog) to the 201 of its first append, a 1 KB event to a new stream, on a fresh SQLite file; polled every millisecond until it listens. The bare app answers the same route with one SQLite insert (WAL, `synchronous = FULL`) on ASP.NET Core's slim host, with the server's runtime settings (workstation GC, no dynamic PGO). Each build starts once untimed, then once a round, round-robin.";

    private static string TargetsText(ReportOptions options) => options.BaseServerDll is { } dll
        ? $"each against the median of this run (ranges above); the base build is `{dll}`."
        : "each against the median of this run (ranges above); the targets relative to an earlier build need `--base-server`.";
}
