using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>What became of an append. A closed set: the cases below are the only ones.</summary>
public abstract record AppendOutcome
{
    private AppendOutcome()
    {
    }

    /// <summary>The events were stored.</summary>
    /// <param name="Stream">The stream after the append.</param>
    public sealed record Appended(StreamDetails Stream) : AppendOutcome;

    /// <summary>The same events (by event id) were already stored at these revisions; nothing was stored again.</summary>
    /// <param name="Stream">The stream as it is now.</param>
    public sealed record AlreadyAppended(StreamDetails Stream) : AppendOutcome;

    /// <summary>The stream is not at the append's expected revision (and the append is not a repeat).</summary>
    /// <param name="CurrentRevision">The stream's current revision.</param>
    public sealed record WrongExpectedRevision(int CurrentRevision) : AppendOutcome;

    /// <summary>No stream of this type has this id, and the append does not create one (it expects a revision above 0).</summary>
    public sealed record StreamNotFound : AppendOutcome;

    /// <summary>The stream was deleted: it takes no more events, and its id is not used again.</summary>
    public sealed record StreamDeleted : AppendOutcome;
}
