using Amazon.DynamoDBv2.Model;
using EventStore.Testing;

namespace EventStore.Server.Tests.DynamoDb;

public sealed class DynamoDbLocalTests
{
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
}
