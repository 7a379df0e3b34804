using Amazon.DynamoDBv2.Model;
using EventStore.Testing.Proxies;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.DynamoDb;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>
/// How the DynamoDB store keeps its list of stream types: an item per hash bucket in the partition <c>$stream-types</c>,
/// written in the transaction that creates a type's first stream, and only until the process knows the type is listed.
/// Each store made here is a process of its own (its own knowledge of the types).
/// </summary>
public sealed class DynamoDbStreamTypesTests : IAsyncLifetime
{
    private const string Partition = "$stream-types";
    private readonly DynamoDbCallLog _log = new();
    private DynamoDbTestTable _table = null!;

    public async Task InitializeAsync() => _table = await DynamoDbTestTable.CreateInitializedAsync();

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public async Task AppendAsync_FirstStreamOfATypeInAProcess_WritesTheTypesItemInItsTransactionOnly()
    {
        var type = NewType();
        var storage = _table.CountedStorage(_log);
        var second = Guid.NewGuid();

        await CreateAsync(storage, type, Guid.NewGuid());
        await CreateAsync(storage, type, second);
        await storage.AppendAsync(StreamAppend.Create(type, second, 1, [NewEvent()]), default);
        await CreateAsync(_table.CountedStorage(_log), type, Guid.NewGuid());
        var listing = _table.CountedStorage(_log);
        await listing.GetStreamTypesAsync(null, 100, default);
        await CreateAsync(listing, type, Guid.NewGuid());

        var writes = _log.Calls.Select(c => c.Request).OfType<TransactWriteItemsRequest>().ToList();
        writes.Select(w => w.TransactItems.Count).Should().Equal(
            [3, 2, 2, 3, 2], "the header and the event, and the type's item in each process until it wrote or listed the type");
        var typeWrite = writes[0].TransactItems[^1].Update;
        typeWrite.Key["PK"].S.Should().Be(Partition);
        typeWrite.ConditionExpression.Should().BeNull("a write of the type's item can't fail an append");
        writes[0].TransactItems[0].Put.Should().NotBeNull("the header goes first");
        _log.Calls.Select(c => c.Operation).Should().NotContain("UpdateItem");
    }

    [Fact]
    public async Task AppendAsync_TypesItem_CarriesNoKeyOfTheStreamIndexAndTheTypeOnce()
    {
        var type = NewType();
        var storage = _table.Storage();
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await CreateAsync(storage, type, ids[0]);
        await CreateAsync(_table.Storage(), type, ids[1]);

        var item = (await TypeItemsAsync()).Should().ContainSingle().Subject;
        var streams = await storage.GetStreamsAsync(type, DateTimeOffset.MinValue, null, 100, default);

        item.Keys.Should().BeEquivalentTo("PK", "SK", "RecordType", "StreamTypes");
        item["RecordType"].S.Should().Be("stream-types");
        item["StreamTypes"].SS.Should().Equal(type);
        item["SK"].N.Should().MatchRegex("^[0-9]+$");
        streams.Streams.Select(s => s.StreamId).Should().BeEquivalentTo(ids, "the index lists the streams' headers only");
        (await _table.ItemsAsync(ids[0])).Should().HaveCount(2, "a stream's partition holds its header and events only");
    }

    [Fact]
    public async Task AppendAsync_NewStreamOfNinetyNineEvents_ListsItsTypeByAWriteOfItsOwnFirst()
    {
        var type = NewType();
        var storage = _table.CountedStorage(_log);
        var events = Enumerable.Range(0, 99).Select(_ => NewEvent()).ToList();

        var outcome = await storage.AppendAsync(StreamAppend.Create(type, Guid.NewGuid(), 0, events), default);
        await storage.AppendAsync(StreamAppend.Create(type, Guid.NewGuid(), 0, [.. Enumerable.Range(0, 99).Select(_ => NewEvent())]), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(99);
        _log.Calls.Select(c => c.Operation).Should().Equal(
            ["UpdateItem", "TransactWriteItems", "TransactWriteItems"], "a transaction holds at most 100 items: a new stream's header and 99 events");
        _log.Calls.Select(c => c.Request).OfType<TransactWriteItemsRequest>().Should().OnlyContain(w => w.TransactItems.Count == 100);
        (await ListAsync(_table.Storage(), 100)).Should().Equal(type);
    }

    [Fact]
    public async Task GetStreamTypesAsync_TableWrittenBeforeTypesWereListed_ListsATypeOnceANewStreamOfItIsCreated()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        await CreateAsync(_table.Storage(), type, id);
        // As an earlier version (or the original service) left the table: streams, no list of their types.
        foreach (var item in await TypeItemsAsync())
        {
            await _table.Client.DeleteItemAsync(new DeleteItemRequest { TableName = _table.Name, Key = new() { ["PK"] = item["PK"], ["SK"] = item["SK"] } });
        }

        var storage = _table.Storage();
        var before = await ListAsync(storage, 100);
        await storage.AppendAsync(StreamAppend.Create(type, id, 1, [NewEvent()]), default);
        var afterAnAppend = await ListAsync(storage, 100);
        await CreateAsync(storage, type, Guid.NewGuid());

        before.Should().BeEmpty();
        afterAnAppend.Should().BeEmpty("only the creation of a stream lists its type");
        (await ListAsync(storage, 100)).Should().Equal(type);
    }

    [Fact]
    public async Task GetStreamTypesAsync_TypesSharingAnItem_AreListedEachOnceAcrossPages()
    {
        // Two types whose hashes met share an item, which holds both names. No two hashes are known to meet, so the
        // second name is put into the first's item, chosen to sort after it and to have the next bucket, no other item
        // between them: resuming after it, a listing goes on from its own bucket as it would from the shared one.
        var byBucket = Enumerable.Range(0, 100).Select(i => $"t-{i}-{Guid.NewGuid():N}").OrderBy(StreamItems.StreamTypeBucket).ToList();
        var at = Enumerable.Range(0, 90).First(i => string.CompareOrdinal(byBucket[i], byBucket[i + 1]) < 0);
        var (first, second, others) = (byBucket[at], byBucket[at + 1], byBucket[(at + 2)..(at + 5)]);
        var storage = _table.Storage();
        foreach (var type in others)
        {
            await CreateAsync(storage, type, Guid.NewGuid());
        }

        await _table.Client.PutItemAsync(new PutItemRequest
        {
            TableName = _table.Name,
            Item = new Dictionary<string, AttributeValue>
            {
                ["PK"] = new() { S = Partition },
                ["SK"] = StreamItems.Number(StreamItems.StreamTypeBucket(first)),
                ["RecordType"] = new() { S = "stream-types" },
                ["StreamTypes"] = new() { SS = [second, first] },
            },
        });

        var inOnes = await ListAsync(storage, 1);
        var inTwos = await ListAsync(storage, 2);

        List<string> expected = [first, second, .. others];
        inOnes.Should().Equal(expected, "the items in the order of their buckets, the names of one item in name order");
        inTwos.Should().Equal(expected);
    }

    private static string NewType() => $"t-{Guid.NewGuid():N}";

    private static EventToAppend NewEvent() => new(Guid.NewGuid(), "something-happened", "{\"a\":1}", null);

    private static async Task CreateAsync(DynamoDbEventStorage storage, string type, Guid id) =>
        (await storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent()]), default)).Should().BeOfType<AppendOutcome.Appended>();

    private static async Task<List<string>> ListAsync(DynamoDbEventStorage storage, int limit)
    {
        var listed = new List<string>();
        StreamTypePageKey? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await storage.GetStreamTypesAsync(after, limit, default);
            listed.AddRange(page.StreamTypes);
            if (!StreamTypePageKey.TryDecode(page.NextPageKey, out after))
            {
                break;
            }
        }

        return listed;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> TypeItemsAsync() =>
        (await _table.Client.QueryAsync(new QueryRequest
        {
            TableName = _table.Name,
            ConsistentRead = true,
            KeyConditionExpression = "PK = :types",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":types"] = new() { S = Partition } },
        })).Items ?? [];
}
