using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Storage.DynamoDb;
using EventStore.Testing;
using EventStore.Testing.Proxies;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>
/// A table of its own on the shared DynamoDB Local, created by the store's own <c>CreateTable</c> path and deleted on
/// dispose. Retries wait only milliseconds, so that fault tests stay fast.
/// </summary>
public sealed class DynamoDbTestTable : IAsyncDisposable
{
    private DynamoDbTestTable(AmazonDynamoDBClient client)
    {
        Client = client;
    }

    public string Name { get; } = $"t-{Guid.NewGuid():N}";

    /// <summary>A plain client of DynamoDB Local, for writing and inspecting items around the store.</summary>
    public AmazonDynamoDBClient Client { get; }

    /// <summary>A table name of its own; the table exists once a store on it is initialized.</summary>
    public static async Task<DynamoDbTestTable> CreateAsync() => new((await DynamoDbLocal.SharedAsync()).CreateClient());

    /// <summary>A table of its own, created by a store's <c>InitializeAsync</c>.</summary>
    public static async Task<DynamoDbTestTable> CreateInitializedAsync()
    {
        var table = await CreateAsync();
        await table.Storage().InitializeAsync(default);
        return table;
    }

    public DynamoDbStorageOptions Options() => new() { TableName = Name, CreateTable = true, BaseDelay = TimeSpan.FromMilliseconds(5) };

    /// <summary>A store on this table; initialize it to create the table.</summary>
    public DynamoDbEventStorage Storage(TimeProvider? clock = null) => Storage(Client, clock ?? TimeProvider.System);

    /// <summary>
    /// A store on this table whose client fails as <paramref name="faults"/> say once they are armed (faults DynamoDB Local
    /// can't be made to produce on demand).
    /// </summary>
    public DynamoDbEventStorage FaultInjectedStorage(params FaultInjection[] faults) =>
        Storage(FaultInjectingProxy.Wrap<IAmazonDynamoDB>(Client, faults), TimeProvider.System);

    /// <summary>A store on this table whose every request <paramref name="log"/> records.</summary>
    public DynamoDbEventStorage CountedStorage(DynamoDbCallLog log) => Storage(CountingDynamoDbProxy.Wrap(Client, log), TimeProvider.System);

    private DynamoDbEventStorage Storage(IAmazonDynamoDB client, TimeProvider clock)
    {
        var options = Options();
        // Retries wait in real time (5 ms): the clock under test only stamps the events.
        var retries = new DynamoDbRetries(Name, options, TimeProvider.System, NullLogger.Instance, telemetry: null);
        return new(client, Microsoft.Extensions.Options.Options.Create(options), retries, clock, NullLogger.Instance);
    }

    /// <summary>Every item of a stream, header included, as stored.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> ItemsAsync(Guid streamId)
    {
        var response = await Client.QueryAsync(new QueryRequest
        {
            TableName = Name,
            ConsistentRead = true,
            KeyConditionExpression = "PK = :id",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":id"] = new() { S = streamId.ToString("D") } },
        });
        return response.Items ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.DeleteTableAsync(new DeleteTableRequest { TableName = Name });
        }
        catch (ResourceNotFoundException)
        {
            // Never created.
        }

        Client.Dispose();
    }
}
