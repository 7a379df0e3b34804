using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.DynamoDb;
using EventStore.Testing.Proxies;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>Faults DynamoDB Local can't be made to produce on demand, injected around a real client of it.</summary>
public sealed class DynamoDbFaultTests : IAsyncLifetime
{
    private readonly FaultInjection _transactWriteItems = new("TransactWriteItemsAsync");
    private readonly FaultInjection _query = new("QueryAsync");
    private DynamoDbTestTable _table = null!;
    private DynamoDbEventStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _table = await DynamoDbTestTable.CreateInitializedAsync();
        _storage = _table.FaultInjectedStorage(_transactWriteItems, _query);
    }

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public async Task AppendAsync_ThrottledEveryTime_ThrowsStorageUnavailableAfterMaxAttempts()
    {
        _transactWriteItems.Arm(() => new ProvisionedThroughputExceededException("slow down"), times: int.MaxValue);

        var append = () => _storage.AppendAsync(NewAppend(), default);

        (await append.Should().ThrowAsync<StorageUnavailableException>()).Which.InnerException.Should().BeOfType<ProvisionedThroughputExceededException>();
        _transactWriteItems.Calls.Should().Be(_table.Options().MaxAttempts);
    }

    [Theory]
    [InlineData("TransactionConflict")]
    [InlineData("ThrottlingError")]
    public async Task AppendAsync_TransactionCanceledForATransientReason_RetriesAndAppends(string reason)
    {
        _transactWriteItems.Arm(
            () => new TransactionCanceledException("canceled") { CancellationReasons = [new CancellationReason { Code = reason }, new CancellationReason { Code = "None" }] },
            times: 1);

        var outcome = await _storage.AppendAsync(NewAppend(), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>("a conflict with another transaction is no wrong expected revision");
        _transactWriteItems.Calls.Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_TokenUsedBeforeByAnAppendThatWasRejected_SendsAgainUnderNewTokenAndAppends()
    {
        _transactWriteItems.Arm(() => new IdempotentParameterMismatchException("token used with other parameters"), times: 1);
        var tokens = _transactWriteItems.Record((TransactWriteItemsRequest request) => request.ClientRequestToken);

        var outcome = await _storage.AppendAsync(NewAppend(), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>("the stream is where the append expects it: no conflict, whatever the token");
        tokens.Should().HaveCount(2).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task GetEventsAsync_ServerErrorOnce_RetriesAndReads()
    {
        var append = NewAppend();
        await _table.Storage().AppendAsync(append, default);
        _query.Arm(() => new InternalServerErrorException("oops"), times: 1);

        var page = await _storage.GetEventsAsync(EventRead.Forward(append.StreamType, append.StreamId, 0, 10), default);

        page!.Events.Should().ContainSingle();
        _query.Calls.Should().Be(2);
    }

    [Fact]
    public async Task GetStreamAsync_TableMissing_ThrowsStorageMisconfiguredNamingTheTable()
    {
        await using var missing = await DynamoDbTestTable.CreateAsync();
        var storage = missing.Storage();

        var read = () => storage.GetStreamAsync("t", Guid.NewGuid(), default);

        var thrown = (await read.Should().ThrowAsync<StorageMisconfiguredException>()).Which;
        thrown.InnerException.Should().BeOfType<ResourceNotFoundException>();
        thrown.Message.Should().Contain(missing.Name).And.Contain("EventStore:DynamoDb:TableName");
    }

    [Fact]
    public async Task AppendAsync_Canceled_ThrowsOperationCanceledWithoutRetrying()
    {
        using var cancellation = new CancellationTokenSource();
        _transactWriteItems.Arm(
            () =>
            {
                cancellation.Cancel();
                return new OperationCanceledException(cancellation.Token);
            },
            times: int.MaxValue);

        var append = () => _storage.AppendAsync(NewAppend(), cancellation.Token);

        await append.Should().ThrowAsync<OperationCanceledException>();
        _transactWriteItems.Calls.Should().Be(1);
    }

    private static StreamAppend NewAppend() =>
        StreamAppend.Create($"t-{Guid.NewGuid():N}", Guid.NewGuid(), 0, [new EventToAppend(Guid.NewGuid(), "something-happened", "{}", null)]);
}
