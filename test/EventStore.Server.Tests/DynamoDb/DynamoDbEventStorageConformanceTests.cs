using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Tests.Conformance;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>The whole conformance suite against DynamoDB Local, each test on a table of its own.</summary>
public sealed class DynamoDbEventStorageConformanceTests : EventStorageConformanceTests
{
    private DynamoDbTestTable? _table;

    protected override async Task<IEventStorage> CreateStorageAsync(TimeProvider timeProvider)
    {
        _table = await DynamoDbTestTable.CreateAsync();
        return _table.Storage(timeProvider);
    }

    public override async Task DisposeAsync()
    {
        if (_table is not null)
        {
            await _table.DisposeAsync();
        }
    }
}
