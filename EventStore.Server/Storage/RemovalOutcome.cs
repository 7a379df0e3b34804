namespace ServerlessEventStore.Server.Storage;

/// <summary>What became of a delete or a truncation. A closed set: the cases below are the only ones.</summary>
public abstract record RemovalOutcome
{
    private RemovalOutcome()
    {
    }

    /// <summary>Done: the stream is deleted, or its events before the revision are removed (also when they already were).</summary>
    public sealed record Removed : RemovalOutcome;

    /// <summary>Decided and partly done: some events are removed, more are left; the same removal, repeated, goes on.</summary>
    public sealed record MoreToRemove : RemovalOutcome;

    /// <summary>No stream of this type has this id.</summary>
    public sealed record StreamNotFound : RemovalOutcome;

    /// <summary>A truncation of a deleted stream: there is nothing to keep.</summary>
    public sealed record StreamDeleted : RemovalOutcome;

    /// <summary>The stream is not at the expected revision, or a truncation reaches past its revision + 1.</summary>
    /// <param name="CurrentRevision">The stream's revision.</param>
    public sealed record WrongExpectedRevision(int CurrentRevision) : RemovalOutcome;
}
