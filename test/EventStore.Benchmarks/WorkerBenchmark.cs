using System.Diagnostics;
using Amazon.SQS;
using ServerlessEventStore.Client.Sqs;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventStore.Benchmarks;

/// <summary>
/// Notifications per second through the hosted worker (<c>AddEventStoreNotificationHandler</c>) with a handler that does
/// nothing, at several concurrency bounds: a queue in the SNS/SQS emulator fauxqs is filled first, then the worker's
/// host is started and timed until every message is acknowledged (the queue holds none, visible or hidden). The
/// concurrency bounds alternate within each of several rounds and each keeps its median, as in <see cref="Measure"/>.
/// </summary>
internal static class WorkerBenchmark
{
    public const int Messages = 2_000;
    public static readonly int[] Concurrencies = [1, 4, 16];
    private const int WarmUpMessages = 200;
    private const int Rounds = 3;

    public static async Task<IReadOnlyList<(int Concurrency, double PerSecond)>> RunAsync()
    {
        await using var emulator = await SnsSqsEmulator.StartAsync();
        await DrainAsync(emulator, WarmUpMessages, concurrency: 4);

        var rates = Concurrencies.ToDictionary(c => c, _ => new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var concurrency in Concurrencies)
            {
                var elapsed = await DrainAsync(emulator, Messages, concurrency);
                rates[concurrency].Add(Messages / elapsed.TotalSeconds);
            }
        }

        var results = Concurrencies.Select(c => (c, rates[c].Order().ElementAt(Rounds / 2))).ToList();
        return results;
    }

    /// <summary>Fills a new queue with <paramref name="count"/> notifications and times the worker emptying it.</summary>
    private static async Task<TimeSpan> DrainAsync(SnsSqsEmulator emulator, int count, int concurrency)
    {
        var queue = await emulator.CreateQueueAsync($"bench-{Guid.NewGuid():N}");
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count).Chunk(10),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (chunk, token) => await queue.SendManyAsync(
                chunk.Select(i => StreamNotificationConverter.ToMessageBody(new StreamNotification(Guid.NewGuid(), "bench", i + 1))), token));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IAmazonSQS>(emulator.Sqs);
        builder.Services.AddEventStoreNotificationHandler<NoOpHandler>(o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.MaxConcurrency = concurrency;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        using var host = builder.Build();

        var stopwatch = Stopwatch.StartNew();
        await host.StartAsync();
        await Poll.UntilAsync(async () => await queue.CountAsync() == 0, TimeSpan.FromMinutes(10), () => $"the worker empties {queue.QueueUrl}");
        var elapsed = stopwatch.Elapsed;
        await host.StopAsync();
        await queue.DeleteAsync();
        return elapsed;
    }

    private sealed class NoOpHandler : IEventStoreNotificationHandler
    {
        public Task<NotificationResult> HandleAsync(StreamNotification notification, NotificationContext context, CancellationToken cancellationToken) =>
            Task.FromResult(NotificationResult.Success());
    }
}
