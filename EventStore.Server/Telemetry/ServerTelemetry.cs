using System.Diagnostics;
using System.Diagnostics.Metrics;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Server.Telemetry.TelemetryTags;

namespace ServerlessEventStore.Server.Telemetry;

/// <summary>
/// The server's activities and instruments: one activity per storage operation with its outcome, latency histograms,
/// and counters of conflicts, idempotent repeats, storage retries, unavailable storage and relayed notifications. Each
/// host gets its own meter from its <see cref="IMeterFactory"/>; a store created without one reports to
/// <see cref="Shared"/>.
/// </summary>
internal sealed class ServerTelemetry
{
    private static readonly ActivitySource Source = new(EventStoreServerTelemetry.ActivitySourceName);
    private static readonly Lazy<ServerTelemetry> SharedTelemetry = new(() => new ServerTelemetry(new Meter(EventStoreServerTelemetry.MeterName)));

    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<double> _readDuration;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _idempotentRepeats;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _relayed;

    public ServerTelemetry(IMeterFactory meterFactory)
        : this(meterFactory.Create(EventStoreServerTelemetry.MeterName))
    {
    }

    private ServerTelemetry(Meter meter)
    {
        Meter = meter;
        _appendDuration = meter.CreateHistogram<double>("eventstore.server.append.duration", "ms", "Duration of appends in the store.");
        _readDuration = meter.CreateHistogram<double>("eventstore.server.read.duration", "ms", "Duration of reads from the store.");
        _conflicts = meter.CreateCounter<long>("eventstore.server.conflicts", "{append}", "Appends rejected for a wrong expected revision (409).");
        _idempotentRepeats = meter.CreateCounter<long>("eventstore.server.idempotent_repeats", "{append}", "Appends whose events were already stored (idempotent repeats).");
        _retries = meter.CreateCounter<long>("eventstore.server.storage.retries", "{retry}", "Requests to the store retried after a transient failure.");
        _unavailable = meter.CreateCounter<long>("eventstore.server.storage.unavailable", "{operation}", "Storage operations that failed as unavailable (503).");
        _relayed = meter.CreateCounter<long>("eventstore.server.notifications.relayed", "{notification}", "Notifications the relays published, or failed to publish.");
    }

    /// <summary>The telemetry of stores created without dependency injection (one meter for the process).</summary>
    public static ServerTelemetry Shared => SharedTelemetry.Value;

    /// <summary>The meter of these instruments.</summary>
    public Meter Meter { get; }

    /// <summary>Runs an append of <paramref name="store"/> in its activity and records its duration and outcome.</summary>
    public async Task<AppendOutcome> AppendAsync(
        string store, StreamAppend append, Func<CancellationToken, Task<AppendOutcome>> run, CancellationToken cancellationToken)
    {
        using var activity = Start(Append, store, append.StreamType, append.StreamId);
        activity?.SetTag(Revision, append.FirstRevision);
        activity?.SetTag(EventCount, append.Events.Count);
        var started = Stopwatch.GetTimestamp();
        var outcome = Failed;
        try
        {
            var result = await run(cancellationToken).ConfigureAwait(false);
            outcome = result switch
            {
                AppendOutcome.Appended => Appended,
                AppendOutcome.AlreadyAppended => AlreadyAppended,
                AppendOutcome.WrongExpectedRevision => WrongExpectedRevision,
                _ => NotFound,
            };
            if (result is AppendOutcome.WrongExpectedRevision)
            {
                _conflicts.Add(1, StoreTags(store, append.StreamType));
            }
            else if (result is AppendOutcome.AlreadyAppended)
            {
                _idempotentRepeats.Add(1, StoreTags(store, append.StreamType));
            }

            return result;
        }
        catch (Exception exception)
        {
            outcome = Fail(activity, exception, Append, store, append.StreamType);
            throw;
        }
        finally
        {
            activity?.SetTag(Outcome, outcome);
            _appendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, DurationTags(Append, store, append.StreamType, outcome));
        }
    }

    /// <summary>
    /// Runs a read of <paramref name="store"/> in its activity and records its duration and outcome: <c>not-found</c>
    /// when it returns <see langword="null"/>.
    /// </summary>
    public async Task<T> ReadAsync<T>(
        string operation,
        string store,
        string streamType,
        Guid? streamId,
        Func<CancellationToken, Task<T>> run,
        Func<T, int?> countEvents,
        CancellationToken cancellationToken)
    {
        using var activity = Start(operation, store, streamType, streamId);
        var started = Stopwatch.GetTimestamp();
        var outcome = Failed;
        try
        {
            var result = await run(cancellationToken).ConfigureAwait(false);
            outcome = result is null ? NotFound : Found;
            if (activity is not null && result is not null && countEvents(result) is { } count)
            {
                activity.SetTag(EventCount, count);
            }

            return result;
        }
        catch (Exception exception)
        {
            outcome = Fail(activity, exception, operation, store, streamType);
            throw;
        }
        finally
        {
            activity?.SetTag(Outcome, outcome);
            _readDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, DurationTags(operation, store, streamType, outcome));
        }
    }

    /// <summary>Counts a retry of a storage request, and marks it on the current activity.</summary>
    public void StorageRetry(string store, string operation, int attempt, Exception exception)
    {
        var errorType = exception.GetType().Name;
        _retries.Add(1, new(Store, store), new(Operation, operation), new(ErrorType, errorType));
        Activity.Current?.AddEvent(new ActivityEvent("eventstore.retry", tags: new ActivityTagsCollection
        {
            ["eventstore.attempt"] = attempt,
            [ErrorType] = errorType,
        }));
    }

    /// <summary>Publishes a notification for <paramref name="relay"/>, counting it as published or failed.</summary>
    public async Task PublishAsync(string relay, INotificationPublisher publisher, StreamNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(notification, cancellationToken).ConfigureAwait(false);
            _relayed.Add(1, new(Relay, relay), new(Result, Published), new(StreamType, notification.StreamType));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _relayed.Add(1, new(Relay, relay), new(Result, Failed), new(StreamType, notification.StreamType));
            throw;
        }
    }

    private static Activity? Start(string operation, string store, string streamType, Guid? streamId)
    {
        var activity = Source.StartActivity("eventstore." + operation);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Operation, operation);
            activity.SetTag(Store, store);
            activity.SetTag(StreamType, streamType);
            if (streamId is { } id)
            {
                activity.SetTag(StreamId, id.ToString("D"));
            }
        }

        return activity;
    }

    private static TagList StoreTags(string store, string streamType) => new() { { Store, store }, { StreamType, streamType } };

    private static TagList DurationTags(string operation, string store, string streamType, string outcome) =>
        new() { { Operation, operation }, { Store, store }, { StreamType, streamType }, { Outcome, outcome } };

    private string Fail(Activity? activity, Exception exception, string operation, string store, string streamType)
    {
        var outcome = exception switch
        {
            StorageUnavailableException => Unavailable,
            OperationCanceledException => Canceled,
            _ => Failed,
        };
        if (outcome == Unavailable)
        {
            _unavailable.Add(1, new(Operation, operation), new(Store, store), new(StreamType, streamType));
        }

        activity?.SetTag(ErrorType, exception.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        return outcome;
    }
}
