using Amazon.DynamoDBv2.Model;
using EventStore.Server.Storage;
using EventStore.Testing;

namespace EventStore.Server.Tests.DynamoDb;

/// <summary>Faults DynamoDB Local can't be made to produce on demand, injected into a real client of it.</summary>
public sealed class DynamoDbFaultTests : IAsyncLifetime
{
    private DynamoDbTestTable _table = null!;
    private FaultInjectingDynamoDbClient _client = null!;

    public async Task InitializeAsync()
    {
        _table = await DynamoDbTestTable.CreateAsync();
        _client = new FaultInjectingDynamoDbClient(await DynamoDbLocal.SharedAsync());
        await _table.Storage().InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _table.DisposeAsync();
    }

    [Fact]
    public async Task AppendAsync_ThrottledEveryTime_ThrowsStorageUnavailableAfterMaxAttempts()
    {
        _client.BeforeTransact = _ => new ProvisionedThroughputExceededException("slow down");
        var storage = _table.Storage(client: _client);

        var append = () => storage.AppendAsync(NewAppend(), default);

        (await append.Should().ThrowAsync<StorageUnavailableException>()).Which.InnerException.Should().BeOfType<ProvisionedThroughputExceededException>();
        _client.TransactCalls.Should().Be(_table.Options().MaxAttempts);
    }

    [Theory]
    [InlineData("TransactionConflict")]
    [InlineData("ThrottlingError")]
    public async Task AppendAsync_TransactionCanceledForATransientReason_RetriesAndAppends(string reason)
    {
        _client.BeforeTransact = call => call == 1
            ? new TransactionCanceledException("canceled") { CancellationReasons = [new CancellationReason { Code = reason }, new CancellationReason { Code = "None" }] }
            : null;
        var storage = _table.Storage(client: _client);

        var outcome = await storage.AppendAsync(NewAppend(), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>("a conflict with another transaction is no wrong expected revision");
        _client.TransactCalls.Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_TokenUsedBeforeByAnAppendThatWasRejected_SendsAgainUnderNewTokenAndAppends()
    {
        _client.BeforeTransact = call => call == 1 ? new IdempotentParameterMismatchException("token used with other parameters") : null;
        var storage = _table.Storage(client: _client);

        var outcome = await storage.AppendAsync(NewAppend(), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>("the stream is where the append expects it: no conflict, whatever the token");
        _client.TransactTokens.Should().HaveCount(2).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task GetEventsAsync_ServerErrorOnce_RetriesAndReads()
    {
        var append = NewAppend();
        await _table.Storage().AppendAsync(append, default);
        _client.BeforeQuery = call => call == 1 ? new InternalServerErrorException("oops") : null;
        var storage = _table.Storage(client: _client);

        var page = await storage.GetEventsAsync(append.StreamType, append.StreamId, 0, 10, default);

        page!.Events.Should().ContainSingle();
        _client.QueryCalls.Should().Be(2);
    }

    [Fact]
    public async Task GetStreamAsync_TableMissing_ThrowsStorageUnavailable()
    {
        await using var missing = await DynamoDbTestTable.CreateAsync();
        var storage = missing.Storage();

        var read = () => storage.GetStreamAsync("t", Guid.NewGuid(), default);

        (await read.Should().ThrowAsync<StorageUnavailableException>()).Which.InnerException.Should().BeOfType<ResourceNotFoundException>();
    }

    [Fact]
    public async Task AppendAsync_Canceled_ThrowsOperationCanceledWithoutRetrying()
    {
        using var cancellation = new CancellationTokenSource();
        _client.BeforeTransact = _ =>
        {
            cancellation.Cancel();
            return new OperationCanceledException(cancellation.Token);
        };
        var storage = _table.Storage(client: _client);

        var append = () => storage.AppendAsync(NewAppend(), cancellation.Token);

        await append.Should().ThrowAsync<OperationCanceledException>();
        _client.TransactCalls.Should().Be(1);
    }

    private static StreamAppend NewAppend() =>
        new($"t-{Guid.NewGuid():N}", Guid.NewGuid(), 1, [new EventToAppend(Guid.NewGuid(), "something-happened", "{}", null)]);
}
