namespace EventStore.Server.Hosting;

/// <summary>Settings of the server (configuration section <c>EventStore</c>).</summary>
public sealed class EventStoreServerOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore";

    /// <summary>The embedded SQLite store, what a fresh clone runs on.</summary>
    public const string SqliteStorage = "Sqlite";

    /// <summary>Which store holds the events: <c>Sqlite</c> (the default).</summary>
    public string Storage { get; set; } = SqliteStorage;
}
