using Microsoft.Data.Sqlite;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>A SQLite file path of its own in the temp folder, deleted (with its WAL files) on dispose.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"eventstore-test-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
