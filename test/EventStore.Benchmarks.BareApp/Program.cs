using Microsoft.Data.Sqlite;

// The least an ASP.NET Core app does to answer the server's append route: the slim host, the one route, one SQLite
// insert per request with the embedded store's durability (WAL, synchronous=FULL), the table created at start-up. It
// takes the server's settings for address and file (ASPNETCORE_URLS, EventStore__Sqlite__Path), so the harness starts
// both the same way and sends both the same first append.
var builder = WebApplication.CreateSlimBuilder(args);
var connectionString = new SqliteConnectionStringBuilder
{
    DataSource = builder.Configuration["EventStore:Sqlite:Path"] ?? "bare.db",
    Pooling = true,
}.ToString();

using (var connection = new SqliteConnection(connectionString))
{
    connection.Open();
    using var schema = connection.CreateCommand();
    schema.CommandText = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS events (stream_id TEXT NOT NULL, revision INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (stream_id, revision));
        """;
    schema.ExecuteNonQuery();
}

var app = builder.Build();
app.MapPut("/streams/{streamType}/{streamId}/events/{revision}", async (Guid streamId, int revision, HttpRequest request) =>
{
    using var body = new StreamReader(request.Body);
    var text = await body.ReadToEndAsync();
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
    await using var insert = connection.CreateCommand();
    insert.CommandText = "PRAGMA synchronous = FULL; INSERT INTO events (stream_id, revision, body) VALUES ($id, $revision, $body);";
    insert.Parameters.AddWithValue("$id", streamId.ToString("D"));
    insert.Parameters.AddWithValue("$revision", revision);
    insert.Parameters.AddWithValue("$body", text);
    await insert.ExecuteNonQueryAsync();
    return Results.StatusCode(StatusCodes.Status201Created);
});
app.Run();
