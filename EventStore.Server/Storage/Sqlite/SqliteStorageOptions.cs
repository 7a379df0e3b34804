using System.ComponentModel.DataAnnotations;

namespace EventStore.Server.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store (configuration section <c>EventStore:Sqlite</c>).</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:Sqlite";

    /// <summary>The database file; relative paths are relative to the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "eventstore.db";

    /// <summary>How long a writer waits for the database lock held by another writer before the store reports itself busy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
