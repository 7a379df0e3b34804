using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store (configuration section <c>EventStore:Sqlite</c>).</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:Sqlite";

    /// <summary>
    /// The database file, by default <see cref="DefaultPath"/>; relative paths are relative to the working directory.
    /// Its folder is created when missing.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// Where the store keeps its data unless told otherwise: <c>eventstore.db</c> in the folder
    /// <c>ServerlessEventStore</c> of the user's local application data (<c>$XDG_DATA_HOME</c> or
    /// <c>~/.local/share</c> on Linux, <c>~/Library/Application Support</c> on macOS, <c>%LOCALAPPDATA%</c> on
    /// Windows), so that the tool keeps one store per user whatever folder it is started from.
    /// </summary>
    public static string DefaultPath { get; } = System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "ServerlessEventStore",
        FileName);

    /// <summary>The name of the store's file in a folder chosen for it: the default one, <c>--data</c>'s, a test server's.</summary>
    public const string FileName = "eventstore.db";

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
