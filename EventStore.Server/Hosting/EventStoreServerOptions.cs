namespace ServerlessEventStore.Server.Hosting;

/// <summary>Settings of the server (configuration section <c>EventStore</c>).</summary>
public sealed class EventStoreServerOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore";

    /// <summary>The embedded SQLite store, what a fresh clone runs on.</summary>
    public const string SqliteStorage = "Sqlite";

    /// <summary>The DynamoDB store, configured in the section <c>EventStore:DynamoDb</c>.</summary>
    public const string DynamoDbStorage = "DynamoDb";

    /// <summary>Which store holds the events: <c>Sqlite</c> (the default) or <c>DynamoDb</c>.</summary>
    public string Storage { get; set; } = SqliteStorage;

    internal bool IsSqlite => string.Equals(Storage, SqliteStorage, StringComparison.OrdinalIgnoreCase);

    internal bool IsDynamoDb => string.Equals(Storage, DynamoDbStorage, StringComparison.OrdinalIgnoreCase);
}
