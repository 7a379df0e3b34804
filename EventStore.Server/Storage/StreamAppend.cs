namespace ServerlessEventStore.Server.Storage;

/// <summary>An append as the storage port takes it: everything needed to decide and write it in one step.</summary>
/// <param name="StreamType">Type of the stream.</param>
/// <param name="StreamId">Id of the stream.</param>
/// <param name="FirstRevision">Revision of the first new event; the stream must be one below it.</param>
/// <param name="Events">The events, 1 to <see cref="StorageLimits.MaxEventsPerAppend"/>.</param>
public sealed record StreamAppend(string StreamType, Guid StreamId, int FirstRevision, IReadOnlyList<EventToAppend> Events)
{
    /// <summary>Revision of the last new event.</summary>
    public int LastRevision => FirstRevision + Events.Count - 1;
}
