using System.Diagnostics;
using System.Diagnostics.Metrics;
using ServerlessEventStore.Server.Storage;
using static ServerlessEventStore.Server.Telemetry.TelemetryTags;

namespace ServerlessEventStore.Server.Telemetry;

/// <summary>
/// The server's activities and instruments: one activity per storage operation with its outcome, latency histograms,
/// the writes per commit of the embedded store, and counters of conflicts, idempotent repeats, storage retries,
/// unavailable storage and relayed notifications. Each host gets its own meter from its <see cref="IMeterFactory"/>. It
/// knows names and instruments only: the decorators of the storage port and of the notification publisher, and the
/// SQLite writer's hook, say what happened.
/// </summary>
internal sealed class ServerTelemetry
{
    private static readonly ActivitySource Source = new(EventStoreServerTelemetry.ActivitySourceName);

    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<double> _readDuration;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _idempotentRepeats;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _relayed;
    private readonly Histogram<long> _writesPerCommit;

    public ServerTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(EventStoreServerTelemetry.MeterName);
        Meter = meter;
        _appendDuration = meter.CreateHistogram<double>("eventstore.server.append.duration", "ms", "Duration of appends in the store.");
        _readDuration = meter.CreateHistogram<double>("eventstore.server.read.duration", "ms", "Duration of reads from the store.");
        _conflicts = meter.CreateCounter<long>("eventstore.server.conflicts", "{append}", "Appends rejected for a wrong expected revision (409).");
        _idempotentRepeats = meter.CreateCounter<long>("eventstore.server.idempotent_repeats", "{append}", "Appends whose events were already stored (idempotent repeats).");
        _retries = meter.CreateCounter<long>("eventstore.server.storage.retries", "{retry}", "Requests to the store retried after a transient failure.");
        _unavailable = meter.CreateCounter<long>("eventstore.server.storage.unavailable", "{operation}", "Storage operations that failed as unavailable (503).");
        _relayed = meter.CreateCounter<long>("eventstore.server.notifications.relayed", "{notification}", "Notifications the relays published, or failed to publish.");
        _writesPerCommit = meter.CreateHistogram<long>("eventstore.server.storage.writes_per_commit", "{write}", "Writes a store committed together in one transaction (group commit).");
    }

    /// <summary>The meter of these instruments.</summary>
    public Meter Meter { get; }

    /// <summary>
    /// Runs an operation of <paramref name="store"/> in its activity and records its duration under
    /// the append or the read histogram, with the outcome <paramref name="outcomeOf"/> names (or, when it throws,
    /// <c>unavailable</c> when <paramref name="isUnavailable"/> says so, <c>canceled</c> or <c>failed</c>).
    /// </summary>
    public async Task<T> RunAsync<T>(
        string operation,
        string store,
        string? streamType,
        Guid? streamId,
        Func<Activity?, Task<T>> run,
        Func<T, string> outcomeOf,
        Func<Exception, bool> isUnavailable,
        bool isAppend = false)
    {
        using var activity = Start(operation, store, streamType, streamId);
        var started = Stopwatch.GetTimestamp();
        var outcome = Failed;
        try
        {
            var result = await run(activity);
            outcome = outcomeOf(result);
            return result;
        }
        catch (StreamDeletedException)
        {
            // An answer (410), not a fault.
            outcome = Deleted;
            throw;
        }
        catch (Exception exception)
        {
            outcome = Fail(activity, exception, isUnavailable(exception), operation, store, streamType);
            throw;
        }
        finally
        {
            activity?.SetTag(Outcome, outcome);
            (isAppend ? _appendDuration : _readDuration).Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, DurationTags(operation, store, streamType, outcome));
        }
    }

    /// <summary>Counts an append rejected for a wrong expected revision.</summary>
    public void Conflict(string store, string streamType) => _conflicts.Add(1, StoreTags(store, streamType));

    /// <summary>Counts an append whose events were already stored.</summary>
    public void IdempotentRepeat(string store, string streamType) => _idempotentRepeats.Add(1, StoreTags(store, streamType));

    /// <summary>Records how many writes <paramref name="store"/> committed together in one transaction.</summary>
    public void Committed(string store, int writes) => _writesPerCommit.Record(writes, new KeyValuePair<string, object?>(Store, store));

    /// <summary>Counts a notification a relay published, or failed to publish.</summary>
    public void Relayed(string relay, string streamType, bool published) =>
        _relayed.Add(1, new(Relay, relay), new(Result, published ? Published : Failed), new(StreamType, streamType));

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

    private static Activity? Start(string operation, string store, string? streamType, Guid? streamId)
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

    private static TagList DurationTags(string operation, string store, string? streamType, string outcome) =>
        new() { { Operation, operation }, { Store, store }, { StreamType, streamType }, { Outcome, outcome } };

    private string Fail(Activity? activity, Exception exception, bool unavailable, string operation, string store, string? streamType)
    {
        var outcome = unavailable ? Unavailable : exception is OperationCanceledException ? Canceled : Failed;
        if (outcome == Unavailable)
        {
            _unavailable.Add(1, new(Operation, operation), new(Store, store), new(StreamType, streamType));
        }

        activity?.SetTag(ErrorType, exception.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        return outcome;
    }
}
