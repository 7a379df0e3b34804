namespace ServerlessEventStore.Server.Storage;

/// <summary>What <see cref="AppendDecision.Decide"/> tells a store to do. A closed set: the cases below are the only ones.</summary>
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

    /// <summary>Decided without a write.</summary>
    /// <param name="Outcome">The outcome.</param>
    public sealed record Done(AppendOutcome Outcome) : AppendVerdict;
}
