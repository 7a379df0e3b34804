using EventStore.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>
/// The embedded store's outbox rows of a delete or a truncation (<c>change</c>, <c>truncated_before</c>) read back as
/// notifications of that change; an append's row, without them, as the original's notification.
/// </summary>
public sealed class OutboxChangeTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReadOutboxAsync_RowsOfAnAppendADeleteATruncationAndAnUnknownChange_AreTheirNotificationsInCommitOrder()
    {
        var storage = await OpenAsync(_database.Path);
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        await storage.AppendAsync(StreamAppend.Create(type, id, 0, [new EventToAppend(Guid.NewGuid(), "opened", "{}", null)]), default);
        await InsertAsync(_database.Path, id, type, 1, "truncated", 1);
        await InsertAsync(_database.Path, id, type, 1, "deleted", null);
        await InsertAsync(_database.Path, id, type, 1, "archived", null);

        var entries = await storage.ReadOutboxAsync(10, default);

        entries.Select(entry => entry.Notification).Should().Equal(
            new StreamNotification(id, type, 1),
            new StreamNotification(id, type, 1, StreamChange.Truncated, truncatedBefore: 1),
            new StreamNotification(id, type, 1, StreamChange.Deleted),
            new StreamNotification(id, type, 1, new StreamChange("archived")));
        entries.Select(entry => entry.Sequence).Should().BeInAscendingOrder();
    }

    internal static async Task<SqliteEventStorage> OpenAsync(string path)
    {
        var storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = path }), TimeProvider.System);
        await storage.InitializeAsync(default);
        return storage;
    }

    /// <summary>Writes an outbox row as a delete or a truncation of the store writes it.</summary>
    internal static async Task InsertAsync(string path, Guid streamId, string streamType, int revision, string change, int? truncatedBefore)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO outbox (stream_id, stream_type, stream_revision, created_at, change, truncated_before)
            VALUES ($id, $type, $revision, 0, $change, $truncatedBefore)
            """;
        command.Parameters.AddWithValue("$id", streamId.ToString("D"));
        command.Parameters.AddWithValue("$type", streamType);
        command.Parameters.AddWithValue("$revision", revision);
        command.Parameters.AddWithValue("$change", change);
        command.Parameters.AddWithValue("$truncatedBefore", (object?)truncatedBefore ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }
}
