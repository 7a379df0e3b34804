using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>The real server on Kestrel (embedded SQLite) publishing notifications to an SNS endpoint, with quick retries.</summary>
public static class NotifyingServer
{
    public static Dictionary<string, string?> Configuration(string topicArn, Uri snsServiceUrl, string? databasePath = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["EventStore:Notifications:SnsTopicArn"] = topicArn,
            ["EventStore:Notifications:SnsServiceUrl"] = snsServiceUrl.ToString(),
            ["EventStore:Notifications:MinRetryDelay"] = "00:00:00.050",
            ["EventStore:Notifications:MaxRetryDelay"] = "00:00:00.250",
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
}
