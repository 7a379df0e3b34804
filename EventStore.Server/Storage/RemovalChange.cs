namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// How a store marks a change that is not an append, in its change feed (the embedded store's outbox, the DynamoDB
/// header's <c>LastChange</c>), for the notification it becomes; an append carries no mark.
/// </summary>
public static class RemovalChange
{
    /// <summary>The stream was deleted.</summary>
    public const string Deleted = "deleted";

    /// <summary>The stream's events before a revision were removed.</summary>
    public const string Truncated = "truncated";

    /// <summary>The mark of the change <paramref name="removal"/> makes.</summary>
    /// <param name="removal">A delete or a truncation.</param>
    /// <returns><see cref="Deleted"/> or <see cref="Truncated"/>.</returns>
    public static string Of(StreamRemoval removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        return removal.Mode is null ? Truncated : Deleted;
    }
}
