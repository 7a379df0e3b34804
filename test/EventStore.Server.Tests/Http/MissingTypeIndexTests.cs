using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>
/// A table made before the catch-up read (without the index <c>TypeIndex</c>): reading a stream type's events is a
/// misconfiguration (503 without Retry-After, naming the index), while everything else keeps working.
/// </summary>
public sealed class MissingTypeIndexTests : IAsyncLifetime
{
    private readonly DynamoDbServerFixture _server = DynamoDbServerFixture.Create(
        dynamoDb: null, new Dictionary<string, string?> { ["EventStore:DynamoDb:CreateTable"] = "false" });

    public async Task InitializeAsync()
    {
        using var client = (await DynamoDbLocal.SharedAsync()).CreateClient();
        // The original's table: its keys and StreamIndex, nothing more.
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = _server.TableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions =
            [
                new AttributeDefinition("PK", ScalarAttributeType.S),
                new AttributeDefinition("SK", ScalarAttributeType.N),
                new AttributeDefinition("StreamType", ScalarAttributeType.S),
                new AttributeDefinition("UpdatedAt", ScalarAttributeType.S),
            ],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH), new KeySchemaElement("SK", KeyType.RANGE)],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "StreamIndex",
                    KeySchema = [new KeySchemaElement("StreamType", KeyType.HASH), new KeySchemaElement("UpdatedAt", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["StreamRevision"] },
                },
            ],
        });
        await _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task GetStreamTypeEvents_TableWithoutTypeIndex_Returns503WithoutRetryAfterNamingTheIndex()
    {
        using var client = _server.CreateHttpClient();
        await client.CreateStreamAsync("order");

        using var response = await client.GetAsync(new Uri("streams/order/events", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().BeNull();
        problem.GetProperty("title").GetString().Should().Contain("misconfigured");
        problem.GetProperty("detail").GetString().Should().Contain(_server.TableName).And.Contain("TypeIndex");
    }
}
