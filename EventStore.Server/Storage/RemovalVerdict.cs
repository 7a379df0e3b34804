namespace ServerlessEventStore.Server.Storage;

/// <summary>What <see cref="RemovalDecision.Decide"/> tells a store to do. A closed set: the cases below are the only ones.</summary>
public abstract record RemovalVerdict
{
    private RemovalVerdict()
    {
    }

    /// <summary>
    /// Give the stream <paramref name="Header"/> (when <paramref name="Changed"/>: it differs from the stored one), then
    /// remove the events <see cref="RemovalDecision.RemovedBelow"/> says that are still stored.
    /// </summary>
    /// <param name="Header">The stream's header after the removal.</param>
    /// <param name="Changed">Whether it is a change to write (and to notify); a repeat only goes on removing.</param>
    public sealed record Write(StreamHeader Header, bool Changed) : RemovalVerdict;

    /// <summary>Decided without a write.</summary>
    /// <param name="Outcome">The outcome.</param>
    public sealed record Done(RemovalOutcome Outcome) : RemovalVerdict;
}
