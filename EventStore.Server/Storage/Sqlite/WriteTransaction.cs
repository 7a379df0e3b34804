using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// A write transaction straight through SQLite: a batch's, begun with <c>BEGIN IMMEDIATE</c> (<see cref="Begin"/>), or
/// one write's inside it, a savepoint (<see cref="Savepoint"/>). SQLite alone waits for the write lock, in its busy
/// handler, ending exactly at the connection's <c>busy_timeout</c>; Microsoft.Data.Sqlite's <c>BeginTransaction</c>
/// would retry a busy begin on top of that, in whole seconds. Commands run on the connection without a
/// <see cref="SqliteTransaction"/>; it is rolled back when disposed uncommitted.
/// </summary>
internal sealed class WriteTransaction : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _commit;
    private readonly string _rollback;
    private bool _done;

    private WriteTransaction(SqliteConnection connection, string begin, string commit, string rollback)
    {
        Execute(connection, begin);
        _connection = connection;
        _commit = commit;
        _rollback = rollback;
    }

    /// <summary>
    /// A transaction; <paramref name="durable"/>, with <c>synchronous=FULL</c>, WAL mode syncs the log on every commit
    /// before it returns. Not durable (<c>synchronous=NORMAL</c>), the commit is not synced on its own: WAL mode keeps it
    /// consistent and the next durable commit syncs it with the log; a power cut before that loses it. For writes that
    /// may be lost.
    /// </summary>
    /// <exception cref="SqliteException">SQLite refused, e.g. <c>SQLITE_BUSY</c> when the lock was not free in time.</exception>
    public static WriteTransaction Begin(SqliteConnection connection, bool durable = true) =>
        new(connection, durable ? "PRAGMA synchronous = FULL; BEGIN IMMEDIATE" : "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE", "COMMIT", "ROLLBACK");

    /// <summary>A savepoint of the transaction under way: committed, its changes join the transaction; rolled back, only they are undone.</summary>
    public static WriteTransaction Savepoint(SqliteConnection connection) =>
        new(connection, "SAVEPOINT write", "RELEASE write", "ROLLBACK TO write; RELEASE write");

    public void Commit()
    {
        Execute(_connection, _commit);
        _done = true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            // After a failed statement SQLite may have rolled back the whole transaction already; then there is nothing to undo.
            if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                Execute(_connection, _rollback);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        var result = raw.sqlite3_exec(connection.Handle, sql);
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result);
        }
    }
}
