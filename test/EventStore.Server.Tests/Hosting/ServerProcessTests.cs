using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EventStore.Testing;
using ServerlessEventStore.Server.Tests.Notifications;

namespace ServerlessEventStore.Server.Tests.Hosting;

/// <summary>The server as its own process: how it starts, fails to start, logs, and holds up under a connection flood.</summary>
public sealed class ServerProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_InvalidSettings_ExitsWithCodeOneAndSaysWhichSetting()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new ServerProcessSettings { Environment = new Dictionary<string, string> { ["EventStore__Storage"] = "Cassandra" } }, StartTimeout);

        exitCode.Should().Be(1, output);
        output.Should().Contain("The event store could not start: invalid settings: EventStore:Storage must be 'Sqlite'");
    }

    [Fact]
    public async Task Start_CreateTableWhileDynamoDbIsUnreachable_StartsAndReadinessSaysUnreachable()
    {
        // A passing fault does not stop the server: it logs the dependency, and readiness answers 503 until it is back.
        using var endpoint = new UnreachableEndpoint();
        var unreachable = $"http://127.0.0.1:{endpoint.Port}";

        await using var server = await ServerProcess.StartAsync(
            new ServerProcessSettings
            {
                Environment = new Dictionary<string, string>
                {
                    ["EventStore__Storage"] = "DynamoDb",
                    ["EventStore__DynamoDb__TableName"] = "unreachable",
                    ["EventStore__DynamoDb__ServiceUrl"] = unreachable,
                    ["EventStore__DynamoDb__CreateTable"] = "true",
                },
            });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative));

        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var dynamoDb = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("dependencies")[0];
        dynamoDb.GetProperty("kind").GetString().Should().Be("unreachable");
        dynamoDb.GetProperty("reason").GetString().Should().Contain("'unreachable'").And.Contain(unreachable);
        await Poll.UntilAsync(() => server.Output.Contains("Dependency dynamodb is not ready (unreachable)", StringComparison.Ordinal), StartTimeout, () => server.Output);
        server.HasExited.Should().BeFalse();
    }

    [Fact]
    public async Task Start_DynamoDbWithoutAnyRegion_ExitsWithCodeOneAndSaysWhatToSet()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), $"no-aws-{Guid.NewGuid():N}");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new ServerProcessSettings
            {
                Environment = new Dictionary<string, string>
                {
                    ["EventStore__Storage"] = "DynamoDb",
                    ["EventStore__DynamoDb__TableName"] = "no-region",
                    ["AWS_REGION"] = string.Empty,
                    ["AWS_DEFAULT_REGION"] = string.Empty,
                    ["AWS_CONFIG_FILE"] = nowhere,
                    ["AWS_SHARED_CREDENTIALS_FILE"] = nowhere,
                    ["AWS_EC2_METADATA_DISABLED"] = "true",
                },
            },
            StartTimeout);

        exitCode.Should().Be(1, output);
        output.Should().Contain("The event store could not start: No AWS region is configured for DynamoDB: set AWS_REGION");
    }

    [Fact]
    public async Task Start_FromAnotherWorkingDirectory_ReadsItsOwnAppSettings()
    {
        var elsewhere = Directory.CreateTempSubdirectory("eventstore-cwd-");
        try
        {
            await using var server = await ServerProcess.StartAsync(new ServerProcessSettings { WorkingDirectory = elsewhere.FullName });
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            (await http.GetAsync(new Uri("liveness-check", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
            await Poll.UntilAsync(() => server.Output.Contains("GET /liveness-check responded 200", StringComparison.Ordinal), StartTimeout, () => server.Output);

            // appsettings.json: single-line log entries, and the framework's per-request logs off.
            server.Output.Should().NotContain("Microsoft.AspNetCore.Hosting.Diagnostics").And.NotContain("Request starting");
            server.Output.Split('\n').Should().NotContain(line => line.StartsWith("      ", StringComparison.Ordinal));
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Append_NotificationPublishedToSns_AppSettingsKeepTheHttpClientLogsOut()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var topic = await emulator.CreateTopicAsync();
        var queue = await emulator.CreateQueueAsync();
        await emulator.SubscribeAsync(topic, queue, rawMessageDelivery: true);
        await using var server = await ServerProcess.StartAsync(new ServerProcessSettings
        {
            Environment = new Dictionary<string, string>
            {
                ["EventStore__Notifications__SnsTopicArn"] = topic,
                ["EventStore__Notifications__SnsServiceUrl"] = emulator.ServiceUrl.ToString(),
                ["EventStore__Notifications__PublishTimeout"] = NotifyingServer.PublishTimeout.ToString(),
            },
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var streamType = $"t-{Guid.NewGuid():N}";

        using var body = new StringContent("""{"initialEvent":{"eventType":"created","payload":{}}}""", Encoding.UTF8, "application/json");
        (await http.PostAsync(new Uri($"streams/{streamType}", UriKind.Relative), body)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await queue.ReceiveUntilAsync(r => r.Count >= 1, StartTimeout)).Should().ContainSingle().Which.Notification!.StreamType.Should().Be(streamType);
        // The SNS call's own log lines would come before it reached SNS, so before this request's line.
        (await http.GetAsync(new Uri("liveness-check", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        await Poll.UntilAsync(() => server.Output.Contains("GET /liveness-check responded 200", StringComparison.Ordinal), StartTimeout, () => server.Output);

        server.Output.Should().Contain($"POST /streams/{streamType} responded 201")
            .And.NotContain("System.Net.Http.HttpClient", "appsettings.json sets System.Net.Http.HttpClient to Warning");
    }

    [Fact]
    public async Task Request_PathWithEncodedLineBreaks_CannotForgeALogLine()
    {
        await using var server = await ServerProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        await http.GetAsync(new Uri("streams/t%0D%0A2099-01-01T00:00:00.000Z%20crit:%20forged", UriKind.Relative));
        await Poll.UntilAsync(() => server.Output.Contains("responded 400", StringComparison.Ordinal), StartTimeout, () => server.Output);

        server.Output.Split('\n').Should().NotContain(line => line.StartsWith("2099-01-01", StringComparison.Ordinal));
        server.Output.Should().Contain("%0D%0A2099");
    }

    [Fact]
    public async Task Connections_MoreIdleSocketsThanTheProcessCanOpenFiles_ServerKeepsAnswering()
    {
        const int limit = 600;
        await using var server = await ServerProcess.StartAsync(new ServerProcessSettings { OpenFileLimit = limit });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        (await http.GetAsync(new Uri("liveness-check", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < limit + 100; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
            }

            // The connection limit keeps descriptors free for the store: the connection already open still works.
            server.HasExited.Should().BeFalse(server.Output);
            server.CountOpenFiles().Should().BeLessThan(limit);
            var id = Guid.NewGuid();
            using var append = await http.PutAsync(
                new Uri($"streams/flood/{id}/events/1", UriKind.Relative),
                new StringContent("""{"event":{"eventType":"e","payload":1}}""", Encoding.UTF8, "application/json"));
            append.StatusCode.Should().Be(HttpStatusCode.Created, server.Output);
            using var read = await http.GetAsync(new Uri($"streams/flood/{id}/events", UriKind.Relative));
            read.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            idle.ForEach(socket => socket.Dispose());
        }

        server.HasExited.Should().BeFalse(server.Output);
    }
}
