using Amazon.SQS;
using EventStore.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>A host built as an application would build it, with the worker and a <see cref="ProbeHandler"/>.</summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private WorkerHost(IHost host, HandlerProbe probe, CollectingLoggerProvider logs)
    {
        Host = host;
        Probe = probe;
        Logs = logs;
    }

    public IHost Host { get; }

    public HandlerProbe Probe { get; }

    public CollectingLoggerProvider Logs { get; }

    public static WorkerHost Create(IAmazonSQS? sqs, Action<EventStoreNotificationHandlerOptions> configure, TimeSpan? shutdownTimeout = null) =>
        Create(sqs, services => services.AddEventStoreNotificationHandler<ProbeHandler>(configure), shutdownTimeout);

    public static WorkerHost Create(IAmazonSQS? sqs, IConfiguration configuration) =>
        Create(sqs, services => services.AddEventStoreNotificationHandler<ProbeHandler>(configuration), null);

    private static WorkerHost Create(IAmazonSQS? sqs, Action<IServiceCollection> addWorker, TimeSpan? shutdownTimeout)
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

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(30));
        addWorker(builder.Services);
        return new WorkerHost(builder.Build(), probe, logs);
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
}
