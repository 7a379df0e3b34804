using System.Globalization;
using EventStore.Benchmarks;
using EventStore.Testing;

// Load harness (from the repository's root):
//   dotnet run -c Release --project test/EventStore.Benchmarks -- report [--quick] [--rounds N] [--only a,b] [--out FILE] [--readme FILE]
//     the README's Performance figures from one run: appends, one hot stream, reads, client memory, server memory,
//     cold start; a Markdown report (see ReportOptions and PerformanceReport).
//   dotnet run -c Release --project test/EventStore.Benchmarks -- notify|notify-dynamodb|worker|limits|catch-up
//     the figures of the README's notification, worker, bounded-wait and catch-up sections.
// limits runs the server build named by EVENTSTORE_SERVER_DLL when set (to compare with another build).
// The server runs in its own process (the built ServerlessEventStore.Server.dll) on a loopback port with a fresh SQLite file.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var what = args.Length > 0 ? args[0] : "report";
var culture = CultureInfo.InvariantCulture;

if (what is "report")
{
    await PerformanceReport.RunAsync(ReportOptions.Parse(args[1..]));
    return;
}

Console.WriteLine($"Machine: {MachineInfo.Describe(new DiskFlushCounter(Path.GetTempPath()))}");
Console.WriteLine();

foreach (var (mode, onDynamoDb, relay) in new[] { ("notify", false, "outbox relay"), ("notify-dynamodb", true, "DynamoDB Local, Streams relay") })
{
    if (what != mode)
    {
        continue;
    }

    var (fromAcknowledged, fromSent) = await NotificationLatencyBenchmark.RunAsync(onDynamoDb);
    Console.WriteLine($"| append → notification in SQS, {NotificationLatencyBenchmark.Appends} appends at {NotificationLatencyBenchmark.AppendsPerSecond}/s ({relay} → fauxqs SNS → SQS) | p50 | p90 | p99 | max |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var (from, p) in new[] { ("from the append's response", fromAcknowledged), ("from the append's request", fromSent) })
    {
        Console.WriteLine(string.Create(culture, $"| {from} | {p.P50:N1} ms | {p.P90:N1} ms | {p.P99:N1} ms | {p.Max:N1} ms |"));
    }

    Console.WriteLine();
}

if (what is "catch-up")
{
    await using var server = await ServerProcess.StartAsync();
    var results = await CatchUpBenchmark.RunAsync(server.BaseAddress);
    Console.WriteLine($"| catch-up by stream type, {CatchUpBenchmark.Rounds} rounds, median (range) | replay events/s, {CatchUpBenchmark.HistoryEvents:N0} events in {CatchUpBenchmark.Streams:N0} streams | append → live subscriber p50 | p99 |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var result in results)
    {
        Console.WriteLine($"| {result.Name} | {Spread.Of(result.ReplayRates).Format("N0")} | {Spread.Of(result.Latencies.Select(l => l.P50)).Format("N0")} ms | {Spread.Of(result.Latencies.Select(l => l.P99)).Format("N0")} ms |");
    }

    Console.WriteLine();
}

if (what is "limits")
{
    Console.WriteLine(await LimitsBenchmark.RunAsync());
}

if (what is "worker")
{
    var results = await WorkerBenchmark.RunAsync();
    Console.WriteLine();
    Console.WriteLine($"| SQS notification worker, no-op handler, {WorkerBenchmark.Messages:N0} messages in fauxqs | notifications/s |");
    Console.WriteLine("| --- | ---: |");
    foreach (var (concurrency, perSecond) in results)
    {
        Console.WriteLine(string.Create(culture, $"| MaxConcurrency {concurrency} | {perSecond:N0} |"));
    }
}
