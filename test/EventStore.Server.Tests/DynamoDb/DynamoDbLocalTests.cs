using System.Globalization;
using Amazon.DynamoDBv2.Model;
using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

public sealed class DynamoDbLocalTests
{
    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    [Fact]
    public async Task RestartAsync_WithDataDirectory_KeepsTablesAndAnswersAgain()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"ddb-{Guid.NewGuid():N}");
        await using var dynamoDb = await DynamoDbLocal.StartAsync(dataDirectory);
        using var client = dynamoDb.CreateClient();
        var table = $"t-{Guid.NewGuid():N}";
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new AttributeDefinition("PK", "S")],
            KeySchema = [new KeySchemaElement("PK", "HASH")],
            BillingMode = "PAY_PER_REQUEST",
        });

        await dynamoDb.StopAsync();
        var whileStopped = async () => await client.ListTablesAsync(new ListTablesRequest());
        await whileStopped.Should().ThrowAsync<Exception>();
        await dynamoDb.RestartAsync();

        (await client.ListTablesAsync(new ListTablesRequest())).TableNames.Should().Contain(table);
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task SharedAsync_Listens_OnLoopbackOnly()
    {
        // DynamoDB Local accepts any credentials: it must not be reachable from other machines.
        var dynamoDb = await DynamoDbLocal.SharedAsync();

        var listening = ListeningAddresses(dynamoDb.Port);

        listening.Should().NotBeEmpty().And.OnlyContain(address => address == "0100007F" || address == "0000000000000000FFFF00000100007F");
    }

    /// <summary>The local addresses listening on <paramref name="port"/>, as the kernel writes them in /proc/net/tcp and tcp6.</summary>
    private static List<string> ListeningAddresses(int port)
    {
        const string Listen = "0A";
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        return SocketTables
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 3 && fields[3] == Listen && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
            .Select(fields => fields[1][..fields[1].IndexOf(':', StringComparison.Ordinal)])
            .ToList();
    }
}
