using Microsoft.Data.Sqlite;

namespace EventStore.Testing;

/// <summary>
/// A SQLite file path of its own in the temp folder (nothing is created there until SQLite opens it). Dispose deletes
/// the file with its <c>-wal</c> and <c>-shm</c> files, after <see cref="SqliteConnection.ClearAllPools"/> has closed the
/// pooled connections of this process; a file that cannot be deleted is left behind rather than failing the test.
/// </summary>
public sealed class TemporaryDatabase : IDisposable
{
    private static readonly string[] Suffixes = [string.Empty, "-wal", "-shm"];

    /// <summary>Creates a path <c>{prefix}-{guid}.db</c> in the temp folder.</summary>
    /// <param name="prefix">The start of the file's name, to tell whose leftover a file is.</param>
    public TemporaryDatabase(string prefix = "eventstore-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");
    }

    /// <summary>The database file's path.</summary>
    public string Path { get; }

    /// <summary>How many of this database's files (itself, <c>-wal</c>, <c>-shm</c>) this process holds open, counted from <c>/proc/self/fd</c> (Linux).</summary>
    /// <returns>The number of open file descriptors on them.</returns>
    public int OpenFiles() =>
        Directory.GetFileSystemEntries("/proc/self/fd")
            .Select(descriptor => new FileInfo(descriptor).LinkTarget)
            .Count(target => target is not null && target.StartsWith(Path, StringComparison.Ordinal));

    /// <summary>Closes this process's pooled connections and deletes the database's files.</summary>
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in Suffixes)
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
                // A leftover temp file is harmless; failing the test run over it is not.
            }
        }
    }
}
