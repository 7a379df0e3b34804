using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store (configuration section <c>EventStore:Sqlite</c>).</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:Sqlite";

    /// <summary>The database file; relative paths are relative to the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "eventstore.db";

    /// <summary>
    /// How long an operation waits for the store in all — its turn in this process, then the database lock another
    /// process may hold — before it fails as busy (503 with Retry-After).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Checked by the validator generated at build time, which reads the range without the attribute's type converter.")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most reads that run at once, each on a connection of its own; further reads wait their turn (within
    /// <see cref="BusyTimeout"/>). Writes run on one more connection, the writer's, which commits those that wait together.
    /// </summary>
    [Range(1, 64)]
    public int MaxReadConnections { get; set; } = 8;
}
