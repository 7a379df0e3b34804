using Amazon.SQS;
using EventStore.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>
/// A host built as an application would build it, with the worker and a <see cref="ProbeHandler"/>, on a
/// <see cref="FakeTimeProvider"/>: the worker's own waits (receive backoff, visibility extension) happen only when a
/// test advances <see cref="Time"/>. SQS's own clock (long polling, visibility timeouts in fauxqs) is real.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private WorkerHost(IHost host, HandlerProbe probe, CollectingLoggerProvider logs, FakeTimeProvider time)
    {
        Host = host;
        Probe = probe;
        Logs = logs;
        Time = time;
    }

    public IHost Host { get; }

    public HandlerProbe Probe { get; }

    public CollectingLoggerProvider Logs { get; }

    public FakeTimeProvider Time { get; }

    public static WorkerHost Create(IAmazonSQS? sqs, Action<EventStoreNotificationHandlerOptions> configure, FakeTimeProvider? time = null) =>
        Create(sqs, services => services.AddEventStoreNotificationHandler<ProbeHandler>(configure), time);

    public static WorkerHost Create(IAmazonSQS? sqs, IConfiguration configuration) =>
        Create(sqs, services => services.AddEventStoreNotificationHandler<ProbeHandler>(configuration), null);

    private static WorkerHost Create(IAmazonSQS? sqs, Action<IServiceCollection> addWorker, FakeTimeProvider? time)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new CollectingLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        var probe = new HandlerProbe();
        builder.Services.AddSingleton(probe);
        if (sqs is not null)
        {
            builder.Services.AddSingleton(sqs);
        }

        time ??= new FakeTimeProvider();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        addWorker(builder.Services);
        return new WorkerHost(builder.Build(), probe, logs, time);
    }

    public Task StartAsync() => Host.StartAsync();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token);
        Host.Dispose();
    }

    public IEnumerable<LogEntry> Worker(LogLevel level) =>
        Logs.Entries.Where(e => e.Level == level && e.Category.StartsWith("ServerlessEventStore.Client.Sqs", StringComparison.Ordinal));

    /// <summary>Worker log entries with this event id (any level).</summary>
    public IReadOnlyList<LogEntry> Worker(int eventId) =>
        Logs.Entries.Where(e => e.EventId.Id == eventId && e.Category.StartsWith("ServerlessEventStore.Client.Sqs", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, moving the worker's clock on by <paramref name="step"/> before each
    /// look: for outcomes behind one of the worker's waits, whenever the worker gets to start it.
    /// </summary>
    public Task AdvanceUntilAsync(TimeSpan step, Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        Poll.UntilAsync(
            () =>
            {
                Time.Advance(step);
                return condition();
            },
            timeout,
            describe);
}
