using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Server.Telemetry.TelemetryTags;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The storage port with its telemetry: one activity per operation with its outcome, the duration histograms, and the
/// counters of conflicts, idempotent repeats and unavailable storage. Wraps whichever store is configured, so the store
/// itself knows nothing of telemetry.
/// </summary>
/// <param name="inner">The store.</param>
/// <param name="store">The store's name in telemetry (<c>sqlite</c>, <c>dynamodb</c>).</param>
/// <param name="telemetry">The server's instruments.</param>
internal sealed class InstrumentedEventStorage(IEventStorage inner, string store, ServerTelemetry telemetry) : IEventStorage
{
    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        return telemetry.RunAsync(
            Append,
            store,
            append.StreamType,
            append.StreamId,
            async activity =>
            {
                // An append at the end has its revision once the store has placed it.
                if (append.IsAnchored)
                {
                    activity?.SetTag(Revision, append.FirstRevision);
                }

                activity?.SetTag(EventCount, append.Events.Count);
                var outcome = await inner.AppendAsync(append, cancellationToken);
                if (!append.IsAnchored && outcome is AppendOutcome.Appended appended)
                {
                    activity?.SetTag(Revision, appended.Stream.Revision - append.Events.Count + 1);
                }

                return outcome;
            },
            outcome =>
            {
                switch (outcome)
                {
                    case AppendOutcome.Appended:
                        return Appended;
                    case AppendOutcome.AlreadyAppended:
                        telemetry.IdempotentRepeat(store, append.StreamType);
                        return AlreadyAppended;
                    case AppendOutcome.WrongExpectedRevision:
                        telemetry.Conflict(store, append.StreamType);
                        return WrongExpectedRevision;
                    default:
                        return NotFound;
                }
            },
            IsUnavailable,
            isAppend: true);
    }

    public Task<RemovalOutcome> RemoveAsync(StreamRemoval removal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removal);
        return telemetry.RunAsync(
            removal.Mode is null ? Truncate : Delete,
            store,
            removal.StreamType,
            removal.StreamId,
            _ => inner.RemoveAsync(removal, cancellationToken),
            outcome => outcome switch
            {
                RemovalOutcome.Removed => Removed,
                RemovalOutcome.MoreToRemove => MoreToRemove,
                RemovalOutcome.WrongExpectedRevision => WrongExpectedRevision,
                RemovalOutcome.StreamDeleted => Deleted,
                _ => NotFound,
            },
            IsUnavailable,
            isAppend: true);
    }

    public Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken) =>
        telemetry.RunAsync(ReadDetails, store, streamType, streamId, _ => inner.GetStreamAsync(streamType, streamId, cancellationToken), Found, IsUnavailable);

    public Task<EventPage?> GetEventsAsync(EventRead read, CancellationToken cancellationToken) =>
        telemetry.RunAsync(
            ReadEvents,
            store,
            read.StreamType,
            read.StreamId,
            async activity =>
            {
                activity?.SetTag(Direction, read.IsBackward ? Backward : Forward);
                var page = await inner.GetEventsAsync(read, cancellationToken);
                activity?.SetTag(EventCount, page?.Events.Count);
                return page;
            },
            Found,
            IsUnavailable);

    public Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) =>
        telemetry.RunAsync(ReadStreams, store, streamType, null, _ => inner.GetStreamsAsync(streamType, updatedAfter, after, limit, cancellationToken), Found, IsUnavailable);

    public Task<StreamTypePage> GetStreamTypesAsync(StreamTypePageKey? after, int limit, CancellationToken cancellationToken) =>
        telemetry.RunAsync(ReadStreamTypes, store, null, null, _ => inner.GetStreamTypesAsync(after, limit, cancellationToken), Found, IsUnavailable);

    public Task<StreamTypeEventPage> GetStreamTypeEventsAsync(string streamType, EventCheckpoint after, int limit, CancellationToken cancellationToken) =>
        telemetry.RunAsync(
            ReadTypeEvents,
            store,
            streamType,
            null,
            async activity =>
            {
                var page = await inner.GetStreamTypeEventsAsync(streamType, after, limit, cancellationToken);
                activity?.SetTag(EventCount, page.Events.Count);
                return page;
            },
            Found,
            IsUnavailable);

    private static string Found<T>(T? result) => result is null ? NotFound : TelemetryTags.Found;

    private static bool IsUnavailable(Exception exception) => exception is StorageUnavailableException;
}
