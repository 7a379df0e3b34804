using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// A write transaction begun with <c>BEGIN IMMEDIATE</c> straight through SQLite, so that the wait for the write lock
/// is SQLite's busy handler alone, ending exactly at the connection's <c>busy_timeout</c>. Microsoft.Data.Sqlite's
/// <c>BeginTransaction</c> would retry a busy begin on top of that, in whole seconds. Commands run on the connection
/// without a <see cref="SqliteTransaction"/>; it is rolled back when disposed uncommitted.
/// </summary>
internal sealed class WriteTransaction : IDisposable
{
    private readonly SqliteConnection _connection;
    private bool _done;

    private WriteTransaction(SqliteConnection connection) => _connection = connection;

    /// <exception cref="SqliteException">SQLite refused, e.g. <c>SQLITE_BUSY</c> when the lock was not free in time.</exception>
    public static WriteTransaction Begin(SqliteConnection connection)
    {
        Execute(connection, "BEGIN IMMEDIATE");
        return new WriteTransaction(connection);
    }

    public void Commit()
    {
        Execute(_connection, "COMMIT");
        _done = true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            // After a failed statement SQLite may have rolled back already; then there is nothing to undo.
            if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                Execute(_connection, "ROLLBACK");
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
