using System.Net;
using System.Text;
using EventStore.Testing;
using Microsoft.Data.Sqlite;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Server.Tests.Http;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>
/// A file of the first schema (<c>Fixtures/schema-0.db</c>, written through the API by the store before the events
/// moved into a rowid table; <c>schema-0.reads.txt</c> holds what that store answered to each read of it) is brought
/// up to date in place when the server opens it: every read answers byte for byte as before, and it takes appends.
/// </summary>
public sealed class SqliteSchemaMigrationTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Sqlite", "Fixtures");
    private readonly TemporaryDatabase _database = new("eventstore-migration");

    public SqliteSchemaMigrationTests() => File.Copy(Path.Combine(Fixtures, "schema-0.db"), _database.Path);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_FileOfTheFirstSchema_ReadsBackByteForByteAndTakesAppends()
    {
        (await UserVersionAsync()).Should().Be(0, "the fixture is of the first schema");
        var reads = File.ReadAllLines(Path.Combine(Fixtures, "schema-0.reads.txt"));

        await using (var server = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Sqlite:Path"] = _database.Path }))
        {
            await server.InitializeAsync();
            using var http = server.CreateHttpClient();
            for (var i = 0; i < reads.Length; i += 2)
            {
                var path = reads[i]["GET /".Length..];
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                (await response.Content.ReadAsStringAsync()).Should().Be(reads[i + 1], $"GET /{path} answers as the first schema's store did");
            }

            using (var types = await http.GetAsync(new Uri("streams", UriKind.Relative)))
            {
                (await types.Content.ReadAsStringAsync()).Should().Be(
                    """{"streamTypePage":{"streamTypes":["invoice","order"],"hasMore":false}}""", "the types of the stored streams are listed");
            }

            using var append = await http.PutAsync(
                new Uri("streams/order/11111111-1111-4111-8111-111111111111/events/4", UriKind.Relative),
                new StringContent("""{"event":{"eventType":"order-delivered","payload":{}}}""", Encoding.UTF8, "application/json"));
            append.StatusCode.Should().Be(HttpStatusCode.Created);
            using var repeat = await http.PutAsync(
                new Uri("streams/order/11111111-1111-4111-8111-111111111111/events/2", UriKind.Relative),
                new StringContent("""{"events":[{"eventId":"a1a1a1a1-0000-4000-8000-000000000002","eventType":"order-noted","payload":"a plain string, as the original clients send"},{"eventId":"a1a1a1a1-0000-4000-8000-000000000003","eventType":"order-shipped","payload":{"tracking":"ZX-1","unicode":"\u00e9\ud83d\ude00"}}]}""", Encoding.UTF8, "application/json"));
            repeat.StatusCode.Should().Be(HttpStatusCode.OK, "an append stored before the migration is still recognised as a repeat");
            using var truncate = await http.DeleteAsync(new Uri("streams/order/11111111-1111-4111-8111-111111111111/events?before-revision=2", UriKind.Relative));
            truncate.StatusCode.Should().Be(HttpStatusCode.OK, "a stream of the first schema can be truncated");
            using var delete = await http.DeleteAsync(new Uri("streams/invoice/33333333-3333-4333-8333-333333333333", UriKind.Relative));
            delete.StatusCode.Should().Be(HttpStatusCode.OK, "and deleted");
        }

        (await UserVersionAsync()).Should().Be(SqliteSchema.Version);
        (await PositionsAsync()).Should().Equal(
            ("11111111-1111-4111-8111-111111111111", 2, "order"),
            ("11111111-1111-4111-8111-111111111111", 3, "order"),
            ("22222222-2222-4222-8222-222222222222", 1, "order"),
            ("33333333-3333-4333-8333-333333333333", 1, "invoice"),
            ("11111111-1111-4111-8111-111111111111", 4, "order"));
    }

    [Fact]
    public async Task Open_FileOfSchemaOne_ListsTheTypesOfItsStreams()
    {
        await using (var server = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Sqlite:Path"] = _database.Path }))
        {
            await server.InitializeAsync();
            using var http = server.CreateHttpClient();
            await http.CreateStreamAsync("receipt");
        }

        // As schema 1 left it: no table of stream types, streams that can't be deleted, an outbox of appends only.
        await ExecuteAsync("""
            DROP TABLE stream_types;
            ALTER TABLE streams DROP COLUMN deleted;
            ALTER TABLE streams DROP COLUMN truncated_before;
            ALTER TABLE outbox DROP COLUMN change;
            ALTER TABLE outbox DROP COLUMN truncated_before;
            PRAGMA user_version = 1;
            """);

        await using (var server = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Sqlite:Path"] = _database.Path }))
        {
            await server.InitializeAsync();
            using var http = server.CreateHttpClient();
            using var types = await http.GetAsync(new Uri("streams", UriKind.Relative));
            (await types.Content.ReadAsStringAsync()).Should().Be("""{"streamTypePage":{"streamTypes":["invoice","order","receipt"],"hasMore":false}}""");
        }

        (await UserVersionAsync()).Should().Be(SqliteSchema.Version);
    }

    [Fact]
    public async Task Open_FileOfANewerSchema_FailsSayingSo()
    {
        await ExecuteAsync("PRAGMA user_version = 99;");

        await using var server = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Sqlite:Path"] = _database.Path });
        var start = () => server.InitializeAsync();

        (await start.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("schema version 99");
    }

    private async Task<long> UserVersionAsync() => (long)(await ScalarAsync("PRAGMA user_version;"))!;

    private async Task<List<(string StreamId, long Revision, string StreamType)>> PositionsAsync()
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_id, revision, stream_type FROM events ORDER BY position";
        var rows = new List<(string, long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return rows;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private SqliteConnection Open() => new($"Data Source={_database.Path};Pooling=False");
}
