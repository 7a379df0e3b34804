using System.Diagnostics;
using System.Globalization;
using EventStore.Testing;
using ServerlessEventStore.Testing;

namespace EventStore.Benchmarks;

/// <summary>
/// Start-up of the testing package's server, as a consumer's test class pays it: <see cref="EventStoreTestServer.StartAsync(CancellationToken)"/>
/// to the 201 of a first append through its client (a 1 KB event to a new stream), then its disposal (stop, delete the
/// temporary folder), in this process. Set against the same server started as a process of its own (the built
/// <c>ServerlessEventStore.Server.dll</c> on <c>dotnet</c>) to its first 201, which is what a test would do without
/// the package. The first in-process start of the run (the server's code not yet compiled in this process, as for a test
/// run's first class) is reported apart; then both sides take turns, once each a round.
/// </summary>
internal static class TestServerBenchmark
{
    public static async Task<TestServerResults> RunAsync(int rounds)
    {
        var first = await InProcessOnceAsync();
        await ProcessOnceAsync(); // warm-up: the files in the page cache
        var inProcess = new List<(double Start, double Dispose)>();
        var process = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            Console.Error.WriteLine($"  round {round + 1}/{rounds}");
            if (round % 2 == 0)
            {
                inProcess.Add(await InProcessOnceAsync());
                process.Add(await ProcessOnceAsync());
            }
            else
            {
                process.Add(await ProcessOnceAsync());
                inProcess.Add(await InProcessOnceAsync());
            }
        }

        return new TestServerResults(first, inProcess, process);
    }

    private static async Task<(double Start, double Dispose)> InProcessOnceAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var store = await EventStoreTestServer.StartAsync();
        await store.Client.CreateStreamAsync("bench-test-server", Guid.NewGuid(), Payloads.NewEvent());
        var elapsed = Stopwatch.GetElapsedTime(started);
        var disposing = Stopwatch.GetTimestamp();
        await store.DisposeAsync();
        return (elapsed.TotalMilliseconds, Stopwatch.GetElapsedTime(disposing).TotalMilliseconds);
    }

    private static async Task<double> ProcessOnceAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await using var server = await ServerProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new ServerlessEventStore.Client.EventStoreClient(http);
        await client.CreateStreamAsync("bench-test-server", Guid.NewGuid(), Payloads.NewEvent());
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}

/// <summary>The testing package's start-up figures of a run, and their table.</summary>
internal sealed record TestServerResults(
    (double Start, double Dispose) First,
    IReadOnlyList<(double Start, double Dispose)> InProcess,
    IReadOnlyList<double> Process)
{
    /// <summary>Each round's in-process start over that round's process start.</summary>
    public Spread Ratio => Spread.Of(InProcess.Zip(Process, (i, p) => i.Start / p));

    public string Markdown(int rounds)
    {
        var table = new MarkdownTable(
            $"start → first 201 append, median (range) of {rounds} rounds",
            "milliseconds",
            "÷ the server as a process",
            "dispose, ms");
        string Ms(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        table.Row("`EventStoreTestServer`, the run's first (server code compiled in this process)", Ms(First.Start), string.Empty, Ms(First.Dispose));
        table.Row("`EventStoreTestServer`, each further one (a test class after the first)", Spread.Of(InProcess.Select(i => i.Start)).Format("N0"), Ratio.Format("0.00"), Spread.Of(InProcess.Select(i => i.Dispose)).Format("N0"));
        table.Row("the server as a process (`dotnet ServerlessEventStore.Server.dll`), polled to its first 201", Spread.Of(Process).Format("N0"), string.Empty, string.Empty);
        return table.ToString();
    }
}
