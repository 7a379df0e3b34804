using System.Globalization;
using EventStore.Benchmarks;
using EventStore.Testing;

// Load harness for the README's performance figures. Usage:
//   dotnet run -c Release --project test/EventStore.Benchmarks -- [all|append|read|memory|notify|notify-dynamodb|worker|limits|catch-up]
// limits runs the server build named by EVENTSTORE_SERVER_DLL when set (to compare with another build).
// The server runs in its own process (the built ServerlessEventStore.Server.dll) on a loopback port with a fresh SQLite file.
var what = args.Length > 0 ? args[0] : "all";
await using var server = await ServerProcess.StartAsync();
var culture = CultureInfo.InvariantCulture;

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine();

if (what is "all" or "append")
{
    var (overHttp, inProcess) = await AppendBenchmark.RunAsync(server.BaseAddress);
    Console.WriteLine($"| appends/s, {AppendBenchmark.Writers} writers, 1 KB events | EventStoreClient over HTTP | SQLite adapter in-process | ratio (target >= 0.5) |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    Console.WriteLine(string.Create(culture, $"| one event per append | {overHttp:N0} | {inProcess:N0} | {overHttp / inProcess:N2} |"));
    Console.WriteLine();
}

if (what is "all" or "read")
{
    var results = await ReadBenchmark.RunAsync(server.BaseAddress);
    Console.WriteLine($"| events/s reading a {ReadBenchmark.StreamLength:N0}-event stream | await foreach (EventStoreClient) | HttpClient + System.Text.Json | ratio (target >= 0.9) |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var (pageSize, withClient, raw) in results)
    {
        Console.WriteLine(string.Create(culture, $"| page size {pageSize} | {withClient:N0} | {raw:N0} | {withClient / raw:N2} |"));
    }

    Console.WriteLine();
}

if (what is "all" or "memory")
{
    var (streaming, collecting) = await MemoryBenchmark.RunAsync(server.BaseAddress);
    Console.WriteLine($"| client heap reading {MemoryBenchmark.StreamLength:N0} events (1 KB) | peak over first 10% | peak over all | allocated per event |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    Console.WriteLine(string.Create(culture, $"| await foreach | {streaming.PeakFirstTenthBytes / 1048576.0:N1} MB | {streaming.PeakBytes / 1048576.0:N1} MB | {streaming.AllocatedBytesPerEvent:N0} B |"));
    Console.WriteLine(string.Create(culture, $"| contrast: collected into a List | {collecting.PeakFirstTenthBytes / 1048576.0:N1} MB | {collecting.PeakBytes / 1048576.0:N1} MB | {collecting.AllocatedBytesPerEvent:N0} B |"));
}

foreach (var (mode, onDynamoDb, relay) in new[] { ("notify", false, "outbox relay"), ("notify-dynamodb", true, "DynamoDB Local, Streams relay") })
{
    if (what != "all" && what != mode)
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

if (what is "all" or "catch-up")
{
    static string Median(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2].ToString(format, CultureInfo.InvariantCulture)} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}–{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})");
    }

    var results = await CatchUpBenchmark.RunAsync(server.BaseAddress);
    Console.WriteLine($"| catch-up by stream type, {CatchUpBenchmark.Rounds} rounds, median (range) | replay events/s, {CatchUpBenchmark.HistoryEvents:N0} events in {CatchUpBenchmark.Streams:N0} streams | append → live subscriber p50 | p99 |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var result in results)
    {
        Console.WriteLine($"| {result.Name} | {Median(result.ReplayRates, "N0")} | {Median(result.Latencies.Select(l => l.P50), "N0")} ms | {Median(result.Latencies.Select(l => l.P99), "N0")} ms |");
    }

    Console.WriteLine();
}

if (what is "limits")
{
    Console.WriteLine(await LimitsBenchmark.RunAsync());
}

if (what is "all" or "worker")
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
