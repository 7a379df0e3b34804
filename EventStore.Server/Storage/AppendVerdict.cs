namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// What <see cref="AppendDecision.Decide"/> (an append at a revision) and <see cref="AppendDecision.Anchor"/> (one at the
/// end) tell a store to do. A closed set: the cases below are the only ones.
/// </summary>
public abstract record AppendVerdict
{
    private AppendVerdict()
    {
    }

    /// <summary>Store the append.</summary>
    public sealed record Write : AppendVerdict
    {
        /// <summary>The one instance.</summary>
        public static readonly Write Instance = new();
    }

    /// <summary>It could be a repeat: read the stored event ids at its revisions and ask <see cref="AppendDecision.Repeat"/>.</summary>
    public sealed record CompareEventIds : AppendVerdict
    {
        /// <summary>The one instance.</summary>
        public static readonly CompareEventIds Instance = new();
    }

    /// <summary>Store the append at the end of the stream, anchored where the stream is now.</summary>
    /// <param name="Append">The append, anchored at the stream's revision.</param>
    public sealed record WriteAt(StreamAppend Append) : AppendVerdict;

    /// <summary>
    /// An append at the end with the first event id of one already stored: read the stored event ids at that append's
    /// revisions (those of <paramref name="Append"/>) and ask <see cref="AppendDecision.Repeat"/>.
    /// </summary>
    /// <param name="Append">The append, anchored where the stored one landed.</param>
    public sealed record CompareEventIdsAt(StreamAppend Append) : AppendVerdict;

    /// <summary>Decided without a write.</summary>
    /// <param name="Outcome">The outcome.</param>
    public sealed record Done(AppendOutcome Outcome) : AppendVerdict;
}
