using System.Diagnostics.CodeAnalysis;
using System.Text;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// An append as the storage port takes it, in the client's words: the stream must be at <see cref="ExpectedRevision"/>,
/// and the events come after it. It can only be made valid (<see cref="TryCreate"/>): 0 or more as the expected revision,
/// 1 to <see cref="EventStoreLimits.MaxEventsPerAppend"/> events with unique ids, each within the limits of
/// <see cref="EventStoreLimits"/>, and no revision past <see cref="int.MaxValue"/>.
/// </summary>
public sealed class StreamAppend
{
    private StreamAppend(string streamType, Guid streamId, int expectedRevision, IReadOnlyList<EventToAppend> events)
    {
        StreamType = streamType;
        StreamId = streamId;
        ExpectedRevision = expectedRevision;
        Events = events;
    }

    /// <summary>Type of the stream.</summary>
    public string StreamType { get; }

    /// <summary>Id of the stream.</summary>
    public Guid StreamId { get; }

    /// <summary>The revision the stream must be at: 0 for a stream that does not exist yet.</summary>
    public int ExpectedRevision { get; }

    /// <summary>The events, in order.</summary>
    public IReadOnlyList<EventToAppend> Events { get; }

    /// <summary>Revision of the first new event.</summary>
    public int FirstRevision => ExpectedRevision + 1;

    /// <summary>Revision of the last new event: what the stream is at once the append is stored.</summary>
    public int LastRevision => ExpectedRevision + Events.Count;

    /// <summary>Whether every event carries an id, so that a repeat of this append can be recognised.</summary>
    public bool HasEventIds => Events.All(e => e.EventId is not null);

    /// <summary>Checks an append and makes it, or says every way it is wrong.</summary>
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
        ArgumentException.ThrowIfNullOrEmpty(streamType);
        ArgumentNullException.ThrowIfNull(events);
        var found = new List<AppendProblem>();
        if (expectedRevision < 0)
        {
            found.Add(new("expectedRevision", "The expected revision must be 0 or more."));
        }

        if (events.Count is 0 or > EventStoreLimits.MaxEventsPerAppend)
        {
            found.Add(new("events", $"An append holds 1 to {EventStoreLimits.MaxEventsPerAppend} events."));
        }
        else if (expectedRevision >= 0 && (long)expectedRevision + events.Count > int.MaxValue)
        {
            found.Add(new("expectedRevision", "The events would pass the largest revision."));
        }

        var ids = new HashSet<Guid>();
        for (var i = 0; i < events.Count; i++)
        {
            found.AddRange(ProblemsOf(events[i], $"events[{i}]", ids));
        }

        problems = found;
        append = found.Count == 0 ? new StreamAppend(streamType, streamId, expectedRevision, events) : null;
        return append is not null;
    }

    /// <summary>Makes an append that is known to be valid (tests, tools).</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expectedRevision">The revision the stream must be at.</param>
    /// <param name="events">The events.</param>
    /// <returns>The append.</returns>
    /// <exception cref="ArgumentException">It is not valid; the message lists why.</exception>
    public static StreamAppend Create(string streamType, Guid streamId, int expectedRevision, IReadOnlyList<EventToAppend> events) =>
        TryCreate(streamType, streamId, expectedRevision, events, out var append, out var problems)
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
