using System.Diagnostics;
using EventStore.Testing;
using Microsoft.Data.Sqlite;

namespace EventStore.Benchmarks;

/// <summary>
/// The disk's ceiling for appends that each commit on their own: a bare Microsoft.Data.Sqlite loop on one connection,
/// one INSERT of a 1 KB event and one COMMIT per append, with the embedded store's durability (WAL,
/// <c>synchronous = FULL</c>), in a file in the folder the store's files are in. SQLite commits one write transaction
/// at a time whatever the number of writers, so this one loop is the most appends per second that one commit per
/// append allows; a store above it commits several appends together.
/// </summary>
internal sealed class CommitCeiling : IDisposable
{
    private readonly TemporaryDatabase _database = new("eventstore-bench-ceiling");
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _revision;

    public CommitCeiling()
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.Path }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, payload TEXT NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }

        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO events (stream_id, revision, payload) VALUES ($stream, $revision, $payload)";
        _insert.Parameters.AddWithValue("$stream", Guid.NewGuid().ToString("D"));
        _revision = _insert.Parameters.Add("$revision", SqliteType.Integer);
        _insert.Parameters.AddWithValue("$payload", Payloads.OneKilobyteJson);
    }

    /// <summary>Commits appends one by one for <paramref name="duration"/>, on a pool thread.</summary>
    /// <returns>The appends committed.</returns>
    public Task<long> RunAsync(TimeSpan duration) => Task.Run(() =>
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long count = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var transaction = _connection.BeginTransaction();
            _insert.Transaction = transaction;
            _revision.Value = ++count;
            _insert.ExecuteNonQuery();
            transaction.Commit();
        }

        return count;
    });

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
        _database.Dispose();
    }
}
