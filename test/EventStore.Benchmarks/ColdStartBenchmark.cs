using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using EventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>
/// Cold start: from starting the process to the 201 of its first append (a 1 KB event to a new stream), on a fresh SQLite
/// file each time. The server published three ways — JIT (<c>dotnet ServerlessEventStore.Server.dll</c>), ReadyToRun and
/// Native AOT — against a bare minimal-API app (EventStore.Benchmarks.BareApp: the same route, one SQLite insert)
/// published JIT and Native AOT. Every build is published once, before anything is timed; each then starts once untimed
/// (the files in the page cache), then once a round, the builds taking turns round-robin. A build that does not publish,
/// or does not answer its first append with 201, is reported as not available, with the reason.
/// </summary>
internal static class ColdStartBenchmark
{
    private const string ServerProject = "EventStore.Server/EventStore.Server.csproj";
    private const string ServerProgram = "ServerlessEventStore.Server";
    private const string BareProject = "test/EventStore.Benchmarks.BareApp/EventStore.Benchmarks.BareApp.csproj";
    private const string BareProgram = "EventStore.Benchmarks.BareApp";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Publishes every build; the JIT builds framework-dependent, as <c>dotnet publish</c> makes them by default.</summary>
    public static async Task<IReadOnlyList<Build>> PublishAsync() =>
    [
        new("server, JIT (`dotnet ServerlessEventStore.Server.dll`)", await PublishedApp.PublishAsync("server-jit", ServerProject, ServerProgram, "SelfContained=false", "PublishAot=false")),
        new("server, ReadyToRun", await PublishedApp.PublishAsync("server-r2r", ServerProject, ServerProgram, "SelfContained=false", "PublishAot=false", "PublishReadyToRun=true")),
        new("server, Native AOT", await PublishedApp.PublishAsync("server-aot", ServerProject, ServerProgram, "PublishAot=true")),
        new("bare minimal-API app, JIT", await PublishedApp.PublishAsync("bare-jit", BareProject, BareProgram, "SelfContained=false")),
        new("bare minimal-API app, Native AOT", await PublishedApp.PublishAsync("bare-aot", BareProject, BareProgram, "PublishAot=true")),
    ];

    public static async Task<ColdStartResults> RunAsync(IReadOnlyList<Build> builds, int rounds)
    {
        var starts = builds.Select(b => new Starts(b)).ToList();
        foreach (var start in starts.Where(s => s.Failure is null))
        {
            Console.Error.WriteLine($"  warm-up: {start.Build.Name}");
            start.Failure = (await StartOnceAsync(start.Build.App)).Failure;
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var turn = 0; turn < starts.Count; turn++)
            {
                var start = starts[(round + turn) % starts.Count];
                if (start.Failure is not null)
                {
                    continue;
                }

                Console.Error.WriteLine($"  round {round + 1}/{rounds}: {start.Build.Name}");
                var (elapsed, failure) = await StartOnceAsync(start.Build.App);
                if (failure is not null)
                {
                    start.Failure = $"round {round + 1}: {failure}";
                    continue;
                }

                start.Milliseconds.Add(elapsed.TotalMilliseconds);
            }
        }

        return new ColdStartResults([.. starts.Select(s => new ColdStartResult(s.Build, s.Milliseconds, s.Failure))]);
    }

    /// <summary>Starts the app on a fresh file and a free port, and times it to the 201 of its first append; it is stopped in any case.</summary>
    private static async Task<(TimeSpan Elapsed, string? Failure)> StartOnceAsync(PublishedApp app)
    {
        using var database = new TemporaryDatabase("eventstore-bench-cold");
        var port = LocalProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["EventStore__Sqlite__Path"] = database.Path,
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = AnswerTimeout };
        var append = new Uri($"streams/bench-cold/{Guid.NewGuid()}/events/1", UriKind.Relative);
        var body = $$$"""{"event":{"eventId":"{{{Guid.NewGuid()}}}","eventType":"{{{Payloads.EventType}}}","payload":{{{Payloads.OneKilobyteJson}}}}}""";
        var output = new StringBuilder();
        var (fileName, arguments) = app.Command;

        var started = Stopwatch.GetTimestamp();
        using var process = LocalProcess.Start(fileName, arguments, app.Folder!, output, environment);
        try
        {
            while (Stopwatch.GetElapsedTime(started) < AnswerTimeout)
            {
                if (process.HasExited)
                {
                    return (TimeSpan.Zero, $"exited with code {process.ExitCode} before answering: {LastLine(output)}");
                }

                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.PutAsync(append, content);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    return response.StatusCode == HttpStatusCode.Created
                        ? (elapsed, null)
                        : (elapsed, $"answered {(int)response.StatusCode} ({response.StatusCode}) to the first append");
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                    await Task.Delay(1);
                }
            }

            return (TimeSpan.Zero, $"no answer within {AnswerTimeout.TotalSeconds:0} s: {LastLine(output)}");
        }
        finally
        {
            await LocalProcess.StopAsync(process);
        }
    }

    private static string LastLine(StringBuilder output) =>
        LocalProcess.Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    /// <summary>A build's starts so far, or why it is not available.</summary>
    private sealed class Starts(Build build)
    {
        public Build Build { get; } = build;

        public string? Failure { get; set; } = build.App.Failure;

        public List<double> Milliseconds { get; } = [];
    }
}

/// <summary>A build in the comparison: its name in the report, and its published app.</summary>
internal sealed record Build(string Name, PublishedApp App);

/// <summary>A build's times to the first 201 (one per round), or why it is not available.</summary>
internal sealed record ColdStartResult(Build Build, IReadOnlyList<double> Milliseconds, string? Failure);

/// <summary>The cold-start figures of a run, and their table.</summary>
internal sealed record ColdStartResults(IReadOnlyList<ColdStartResult> Builds)
{
    public ColdStartResult this[string app] => Builds.Single(b => b.Build.App.Name == app);

    /// <summary>Each round's time of <paramref name="app"/> over that round's time of <paramref name="baseline"/>; null when either is not available.</summary>
    public Spread? Ratio(string app, string baseline) =>
        this[app].Failure is null && this[baseline].Failure is null
            ? Spread.Of(this[app].Milliseconds.Zip(this[baseline].Milliseconds, (a, b) => a / b))
            : null;

    public string Markdown(int rounds)
    {
        var table = new MarkdownTable(
            $"process start → first 201 append, fresh SQLite file, median (range) of {rounds} rounds",
            "milliseconds",
            "÷ the bare app of the same kind");
        foreach (var result in Builds)
        {
            var baseline = result.Build.App.IsNative ? "bare-aot" : "bare-jit";
            var ratio = result.Build.App.Name == baseline ? null : Ratio(result.Build.App.Name, baseline);
            table.Row(
                result.Build.Name,
                result.Failure is null ? Spread.Of(result.Milliseconds).Format("N0") : $"not available: {result.Failure}",
                ratio?.Format("0.00") ?? string.Empty);
        }

        var published = string.Join(", ", Builds.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Build.App.Name} {b.Build.App.PublishTime.TotalSeconds:0} s")));
        var total = TimeSpan.FromTicks(Builds.Sum(b => b.Build.App.PublishTime.Ticks));
        return table + string.Create(CultureInfo.InvariantCulture, $"\nPublished before anything was timed, {total.TotalSeconds:0} s in all ({published}).\n");
    }
}
