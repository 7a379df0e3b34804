using System.Diagnostics.CodeAnalysis;
using System.Text;
using ServerlessEventStore.Types;
using Expectation = ServerlessEventStore.Types.ExpectedRevision;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// An append as the storage port takes it, in the client's words: what the stream must be (<see cref="Requested"/>),
/// and the events that come after it. It can only be made valid (<see cref="TryCreate(string, Guid, Expectation, IReadOnlyList{EventToAppend}, out StreamAppend?, out IReadOnlyList{AppendProblem})"/>):
/// 1 to <see cref="EventStoreLimits.MaxEventsPerAppend"/> events with unique ids (at the end — <c>any</c>,
/// <c>stream-exists</c> — 1 to <see cref="EventStoreLimits.MaxEventsPerAppendAtTheEnd"/>, each with an id), each within
/// the limits of <see cref="EventStoreLimits"/>, and no revision past <see cref="int.MaxValue"/>. An append at an exact
/// revision is anchored from the start; one at the end is anchored by the store (<see cref="At"/>) at the revision the
/// stream is at when it writes.
/// </summary>
public sealed class StreamAppend
{
    private readonly int? _anchor;

    private StreamAppend(string streamType, Guid streamId, Expectation requested, int? anchor, IReadOnlyList<EventToAppend> events)
    {
        StreamType = streamType;
        StreamId = streamId;
        Requested = requested;
        _anchor = anchor;
        Events = events;
    }

    /// <summary>Type of the stream.</summary>
    public string StreamType { get; }

    /// <summary>Id of the stream.</summary>
    public Guid StreamId { get; }

    /// <summary>What the caller expects of the stream: an exact revision, or the end of the stream (any, stream-exists).</summary>
    public Expectation Requested { get; }

    /// <summary>Whether the append has a revision to be written at: an exact one, or the end as a store found it.</summary>
    public bool IsAnchored => _anchor is not null;

    /// <summary>
    /// Whether the append goes at the end of the stream (<c>any</c>, <c>stream-exists</c>): the store keeps a record of it,
    /// keyed by its first event's id, by which a repeat of it is recognised wherever it landed.
    /// </summary>
    public bool IsAtTheEnd => Requested.Revision is null;

    /// <summary>The revision the stream must be at: 0 for a stream that does not exist yet.</summary>
    /// <exception cref="InvalidOperationException">The append goes at the end and no store has anchored it yet.</exception>
    public int ExpectedRevision => _anchor ?? throw new InvalidOperationException("An append at the end of a stream has no revision until the store anchors it (At).");

    /// <summary>The events, in order.</summary>
    public IReadOnlyList<EventToAppend> Events { get; }

    /// <summary>Revision of the first new event.</summary>
    public int FirstRevision => ExpectedRevision + 1;

    /// <summary>Revision of the last new event: what the stream is at once the append is stored.</summary>
    public int LastRevision => ExpectedRevision + Events.Count;

    /// <summary>Whether every event carries an id, so that a repeat of this append can be recognised.</summary>
    public bool HasEventIds => Events.All(e => e.EventId is not null);

    /// <summary>The id of the first event: the key of an append at the end (which has ids on every event).</summary>
    public Guid? FirstEventId => Events[0].EventId;

    /// <summary>This append at the end, anchored at <paramref name="revision"/>: written after the stream's event at it.</summary>
    /// <param name="revision">The revision the stream is at (0: it does not exist).</param>
    /// <returns>The anchored append.</returns>
    /// <exception cref="InvalidOperationException">The append is at an exact revision.</exception>
    public StreamAppend At(int revision)
    {
        if (!IsAtTheEnd)
        {
            throw new InvalidOperationException("Only an append at the end of a stream is anchored by the store.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new StreamAppend(StreamType, StreamId, Requested, revision, Events);
    }

    /// <summary>Checks an append at an exact revision and makes it, or says every way it is wrong.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expectedRevision">The revision the stream must be at.</param>
    /// <param name="events">The events.</param>
    /// <param name="append">The append, when it is valid.</param>
    /// <param name="problems">What is wrong with it; empty when it is valid.</param>
    /// <returns>Whether the append is valid.</returns>
    public static bool TryCreate(
        string streamType,
        Guid streamId,
        int expectedRevision,
        IReadOnlyList<EventToAppend> events,
        [NotNullWhen(true)] out StreamAppend? append,
        out IReadOnlyList<AppendProblem> problems)
    {
        if (expectedRevision >= 0)
        {
            return TryCreate(streamType, streamId, Expectation.Exactly(expectedRevision), events, out append, out problems);
        }

        TryCreate(streamType, streamId, Expectation.NoStream, events, out _, out var others);
        problems = [new AppendProblem("expectedRevision", "The expected revision must be 0 or more."), .. others];
        append = null;
        return false;
    }

    /// <summary>Checks an append and makes it, or says every way it is wrong.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expected">What the stream must be.</param>
    /// <param name="events">The events.</param>
    /// <param name="append">The append, when it is valid.</param>
    /// <param name="problems">What is wrong with it; empty when it is valid.</param>
    /// <returns>Whether the append is valid.</returns>
    public static bool TryCreate(
        string streamType,
        Guid streamId,
        Expectation expected,
        IReadOnlyList<EventToAppend> events,
        [NotNullWhen(true)] out StreamAppend? append,
        out IReadOnlyList<AppendProblem> problems)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamType);
        ArgumentNullException.ThrowIfNull(events);
        var found = new List<AppendProblem>();
        var atTheEnd = expected.Revision is null;
        var most = atTheEnd ? EventStoreLimits.MaxEventsPerAppendAtTheEnd : EventStoreLimits.MaxEventsPerAppend;
        if (events.Count == 0 || events.Count > most)
        {
            found.Add(new("events", atTheEnd
                ? $"An append at the end of a stream (expected revision '{expected}') holds 1 to {most} events."
                : $"An append holds 1 to {most} events."));
        }
        else if (expected.Revision is { } revision && (long)revision + events.Count > int.MaxValue)
        {
            found.Add(new("expectedRevision", "The events would pass the largest revision."));
        }

        var ids = new HashSet<Guid>();
        for (var i = 0; i < events.Count; i++)
        {
            found.AddRange(ProblemsOf(events[i], $"events[{i}]", ids));
            if (atTheEnd && events[i].EventId is null)
            {
                found.Add(new($"events[{i}].eventId", $"An append at the end of a stream (expected revision '{expected}') needs an id on every event: by them a repeat is recognised."));
            }
        }

        problems = found;
        append = found.Count == 0 ? new StreamAppend(streamType, streamId, expected, expected.Revision, events) : null;
        return append is not null;
    }

    /// <summary>Makes an append that is known to be valid (tests, tools).</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expected">What the stream must be (an exact revision converts).</param>
    /// <param name="events">The events.</param>
    /// <returns>The append.</returns>
    /// <exception cref="ArgumentException">It is not valid; the message lists why.</exception>
    public static StreamAppend Create(string streamType, Guid streamId, Expectation expected, IReadOnlyList<EventToAppend> events) =>
        TryCreate(streamType, streamId, expected, events, out var append, out var problems)
            ? append
            : throw new ArgumentException(string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}")), nameof(events));

    private static IEnumerable<AppendProblem> ProblemsOf(EventToAppend next, string field, HashSet<Guid> ids)
    {
        if (string.IsNullOrEmpty(next.EventType))
        {
            yield return new($"{field}.eventType", "The event type is required.");
        }
        else if (next.EventType.Length > EventStoreLimits.MaxEventTypeLength)
        {
            yield return new($"{field}.eventType", $"The event type must be at most {EventStoreLimits.MaxEventTypeLength} characters.");
        }

        if (next.EventId is { } id && !ids.Add(id))
        {
            yield return new($"{field}.eventId", "Event ids must be unique within an append.");
        }

        if (Encoding.UTF8.GetByteCount(next.PayloadJson) > EventStoreLimits.MaxPayloadBytes)
        {
            yield return new($"{field}.payload", $"An event payload is larger than {EventStoreLimits.MaxPayloadBytes / 1024} KB.", IsTooLarge: true);
        }

        if (next.MetadataJson is { } metadata && Encoding.UTF8.GetByteCount(metadata) > EventStoreLimits.MaxMetadataBytes)
        {
            yield return new($"{field}.metadata", $"An event's metadata is larger than {EventStoreLimits.MaxMetadataBytes / 1024} KB.", IsTooLarge: true);
        }
    }
}
