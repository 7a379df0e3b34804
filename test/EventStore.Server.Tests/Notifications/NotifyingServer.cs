using EventStore.Testing;
using Microsoft.Data.Sqlite;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The real server on Kestrel publishing notifications to an SNS endpoint, with quick retries: its configuration (for
/// either store), its start on the embedded store, and what the relay tests do with it.
/// </summary>
public static class NotifyingServer
{
    /// <summary>The first wait of the relay's back-off (<c>MinRetryDelay</c>), doubling up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait of the relay's back-off (<c>MaxRetryDelay</c>).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a publish may take (<c>PublishTimeout</c>).</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(1);

    public static Dictionary<string, string?> Configuration(string topicArn, Uri snsServiceUrl, string? databasePath = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["EventStore:Notifications:SnsTopicArn"] = topicArn,
            ["EventStore:Notifications:SnsServiceUrl"] = snsServiceUrl.ToString(),
            ["EventStore:Notifications:MinRetryDelay"] = MinRetryDelay.ToString(),
            ["EventStore:Notifications:MaxRetryDelay"] = MaxRetryDelay.ToString(),
            // The shared emulator can take longer than the product's 10 s to answer while a burst test floods it; an
            // answer that comes late is not a failure to publish, and a timed-out publish is published again.
            ["EventStore:Notifications:PublishTimeout"] = PublishTimeout.ToString(),
        };
        if (databasePath is not null)
        {
            configuration["EventStore:Sqlite:Path"] = databasePath;
        }

        return configuration;
    }

    public static async Task<EventStoreServerFixture> StartAsync(Dictionary<string, string?> configuration)
    {
        var server = EventStoreServerFixture.Create(configuration);
        await server.InitializeAsync();
        return server;
    }

    /// <summary>Creates a stream and appends to it: two notifications (revisions 1 and 2) for the relay to publish.</summary>
    /// <returns>The stream's id.</returns>
    public static async Task<Guid> CommitTwoRevisionsAsync(EventStoreServerFixture server, string streamType)
    {
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);
        var stream = await client.CreateStreamAsync(streamType, NewEvent.Create("opened", "a"));
        await client.AppendAsync(streamType, stream.StreamId, 1, NewEvent.Create("changed", "b"));
        return stream.StreamId;
    }

    /// <summary>
    /// Waits until the server's outbox is empty: everything committed before the call has been published. Reads the
    /// database file itself, so that it works on a server in its own process too.
    /// </summary>
    public static Task WaitUntilOutboxEmptyAsync(EventStoreServerFixture server, TimeSpan patience)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = server.Configuration["EventStore:Sqlite:Path"], Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        return Poll.UntilAsync(
            async () =>
            {
                await using var sqlite = new SqliteConnection(connection);
                await sqlite.OpenAsync();
                await using var count = sqlite.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM outbox";
                return Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0;
            },
            patience,
            () => "every notification published and removed from the outbox");
    }
}
