using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Server.Tests.Conformance;
using EventStore.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Sqlite;

public sealed class SqliteEventStorageConformanceTests : EventStorageConformanceTests
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<IEventStorage> CreateStorageAsync(TimeProvider timeProvider) =>
        Task.FromResult<IEventStorage>(new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = _database.Path }), timeProvider));

    protected override async Task WriteStrayEventAsync(string streamType, Guid streamId, int revision, Guid eventId)
    {
        await using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO events (stream_id, revision, stream_type, event_id, event_type, payload, metadata, created_at)
            VALUES ($id, $revision, $type, $eventId, 'stray', '{}', NULL, 0)
            """;
        command.Parameters.AddWithValue("$type", streamType);
        command.Parameters.AddWithValue("$id", streamId.ToString("D"));
        command.Parameters.AddWithValue("$revision", revision);
        command.Parameters.AddWithValue("$eventId", eventId.ToString("D"));
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<(IReadOnlyList<int> Revisions, int AppendRecords)> ReadStoredAsync(Guid streamId)
    {
        await using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        await using var events = connection.CreateCommand();
        events.CommandText = "SELECT revision FROM events WHERE stream_id = $id ORDER BY revision";
        events.Parameters.AddWithValue("$id", streamId.ToString("D"));
        var revisions = new List<int>();
        await using (var reader = await events.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                revisions.Add(reader.GetInt32(0));
            }
        }

        await using var records = connection.CreateCommand();
        records.CommandText = "SELECT COUNT(*) FROM appends WHERE stream_id = $id";
        records.Parameters.AddWithValue("$id", streamId.ToString("D"));
        return (revisions, Convert.ToInt32(await records.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}
