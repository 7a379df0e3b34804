using System.Globalization;
using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EventStore.Testing;
using EventStore.Testing.Proxies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessEventStore.Server.Health;
using Xunit.Abstractions;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Diagnostics;

/// <summary>
/// How many DynamoDB requests, and how much capacity, each API operation costs, counted around the server's real client
/// against DynamoDB Local. Asserts the product's targets (one request per operation in the common case; an append of one
/// event of up to 1 KB at most 4 WCU) and writes the table for the README to the test output and to
/// <c>.artifacts/dynamodb-request-counts.md</c>.
/// </summary>
public sealed class DynamoDbRequestCountTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DynamoDbCallLog _log = new();
    private readonly List<Row> _rows = [];
    private DynamoDbServerFixture _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // The stream relay shares the DynamoDB client (its DescribeTable could fall among the counted requests): off.
        _server = DynamoDbServerFixture.Create(
            dynamoDb: null,
            new Dictionary<string, string?> { ["EventStore:Notifications:StreamRelay"] = "false" },
            services => services.Decorate<IAmazonDynamoDB>(inner => CountingDynamoDbProxy.Wrap(inner, _log)));
        await _server.InitializeAsync();
        _client = _server.CreateHttpClient();

        // The readiness checks run once as the server starts (ReadinessStartupLog: a DescribeTable, in the background):
        // waiting for that service to end here keeps its request out of the counted ones however late it ran.
        using var ready = await _client.GetAsync(new Uri("health/ready", UriKind.Relative));
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        var startupCheck = _server.Services.GetServices<IHostedService>().OfType<ReadinessStartupLog>().Single().ExecuteTask;
        await startupCheck!.WaitAsync(TimeSpan.FromMinutes(1));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ApiOperations_CommonCase_OneDynamoDbRequestEachAndAppendOfOneSmallEventAtMostFourWcu()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 2);
        // A 1 KB event: its item (payload, keys and attributes) stays within the 1 KB of one write unit.
        var smallEvent = EventJson(eventType: "order-shipped", payload: $$"""{"note":"{{new string('x', 600)}}"}""", eventId: Guid.NewGuid());
        var tenEvents = string.Join(",", Enumerable.Range(0, 10).Select(_ => EventJson(eventId: Guid.NewGuid())));
        var taken = EventJson(eventId: Guid.NewGuid());

        var appendOne = await MeasureAsync("append, 1 event (item ≤ 1 KB)", "2", HttpStatusCode.Created, () => PutAsync(type, id, 3, $$"""{"event":{{smallEvent}}}"""));
        var appendTen = await MeasureAsync("append, 10 events", "2", HttpStatusCode.Created, () => PutAsync(type, id, 4, $$"""{"events":[{{tenEvents}}]}"""));
        var eventsPage = await MeasureAsync("events page (13 events)", "2", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative)));
        var lastEvent = await MeasureAsync("last event (backward, 1 event)", "—", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/{id}/events?direction=backward&limit=1", UriKind.Relative)));
        var backwardPage = await MeasureAsync("events page backward before a revision (5 events)", "—", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/{id}/events?direction=backward&before-revision=10&limit=5", UriKind.Relative)));
        var afterPage = await MeasureAsync("events page after a revision (8 events)", "2", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/{id}/events?after-revision=5", UriKind.Relative)));
        var streamsPage = await MeasureAsync("streams page", "1", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}", UriKind.Relative)));
        var details = await MeasureAsync("details", "1", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative)));
        // Read once the events are older than the settle window, so that the page holds them all.
        await Poll.UntilAsync(async () => await CountTypeEventsAsync(type) == 13, TimeSpan.FromSeconds(30), () => $"13 events of {type} past the settle window");
        var typePage = await MeasureAsync("stream type's events page (13 events, TypeIndex)", "—", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/events", UriKind.Relative)));
        var conflict = await MeasureAsync("append conflict (409): the write, then the idempotency compare", "—", HttpStatusCode.Conflict, () => PutAsync(type, id, 3, $$"""{"event":{{taken}}}"""));
        var repeat = await MeasureAsync("idempotent repeat (200) within the token's 10 minutes", "—", HttpStatusCode.OK, () => PutAsync(type, id, 3, $$"""{"event":{{smallEvent}}}"""));
        var anyEvent = EventJson(eventType: "order-shipped", payload: $$"""{"note":"{{new string('x', 600)}}"}""", eventId: Guid.NewGuid());
        var appendAny = await MeasureAsync("append at the end (`any`), 1 event (item ≤ 1 KB)", "—", HttpStatusCode.Created, () => PostAsync(type, id, "any", $$"""{"event":{{anyEvent}}}"""));
        await PutAsync(type, id, 16, $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");
        var repeatAny = await MeasureAsync("repeat at the end (200) after other appends", "—", HttpStatusCode.OK, () => PostAsync(type, id, "any", $$"""{"event":{{anyEvent}}}"""));
        var missing = await MeasureAsync("`stream-exists` on a missing stream (404)", "—", HttpStatusCode.NotFound, () => PostAsync(type, Guid.NewGuid(), "stream-exists", $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}"""));
        var removed = await _client.CreateStreamAsync(type, events: 5);
        var truncate = await MeasureAsync("truncate before revision 3 (2 events removed)", "—", HttpStatusCode.OK, () => _client.DeleteAsync(new Uri($"streams/{type}/{removed}/events?before-revision=3", UriKind.Relative)));
        var lastAfterTruncate = await MeasureAsync("last event of a truncated stream", "—", HttpStatusCode.OK, () => _client.GetAsync(new Uri($"streams/{type}/{removed}/events?direction=backward&limit=1", UriKind.Relative)));
        var softDelete = await MeasureAsync("soft delete", "—", HttpStatusCode.OK, () => _client.DeleteAsync(new Uri($"streams/{type}/{removed}", UriKind.Relative)));
        var readDeleted = await MeasureAsync("last event of a deleted stream (410)", "—", HttpStatusCode.Gone, () => _client.GetAsync(new Uri($"streams/{type}/{removed}/events?direction=backward&limit=1", UriKind.Relative)));
        var hardDelete = await MeasureAsync("hard delete of the soft-deleted stream (3 events)", "—", HttpStatusCode.OK, () => _client.DeleteAsync(new Uri($"streams/{type}/{removed}?mode=hard", UriKind.Relative)));
        var newType = await MeasureAsync("append creating the first stream of a type (in this server process), 1 event", "2", HttpStatusCode.Created, () => PutAsync(NewType(), Guid.NewGuid(), 1, $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}"""));
        var typesPage = await MeasureAsync("stream types page", "—", HttpStatusCode.OK, () => _client.GetAsync(new Uri("streams", UriKind.Relative)));
        await WriteTableAsync();

        backwardPage.Requests.Should().Be(2, $"a page that reaches neither end of the stream reads the header along, for a deletion or truncation ({backwardPage.Calls})");
        foreach (var row in new[] { appendOne, appendTen, eventsPage, lastEvent, afterPage, streamsPage, details, newType, typesPage, typePage })
        {
            row.Requests.Should().Be(1, $"{row.Operation} costs one DynamoDB request ({row.Calls})");
        }

        appendAny.Requests.Should().Be(2, $"an append at the end reads the header, then writes ({appendAny.Calls})");
        appendAny.ComputedWcu.Should().BeLessThanOrEqualTo(6, "the transaction writes the header, the event and the append's record, each within 1 KB: 2 + 2 + 2 WCU");
        repeatAny.Requests.Should().Be(3, $"a repeat at the end reads the header, is refused by its record (returned with the refusal), and reads the event ids ({repeatAny.Calls})");
        missing.Requests.Should().Be(1, $"the header says the stream is missing ({missing.Calls})");
        truncate.Requests.Should().Be(4, $"a truncation reads the header, writes it with the state item, queries the keys and deletes them in one batch ({truncate.Calls})");
        lastAfterTruncate.Requests.Should().Be(1, $"the state item comes first in a backward read ({lastAfterTruncate.Calls})");
        softDelete.Requests.Should().Be(2, $"a soft delete reads the header and writes it with the state item ({softDelete.Calls})");
        readDeleted.Requests.Should().Be(1, $"the state item tells the deletion ({readDeleted.Calls})");
        hardDelete.Requests.Should().Be(4, $"a hard delete reads the header, writes it, queries the keys and deletes them in one batch ({hardDelete.Calls})");
        conflict.Requests.Should().Be(2, "a conflict costs the write and one read to compare event ids");
        repeat.Requests.Should().BeLessThanOrEqualTo(3, "a repeat costs at most the write, the header and the event ids");
        newType.ComputedWcu.Should().BeLessThanOrEqualTo(6, "the transaction also writes the type's small item: 2 + 2 + 2 WCU");
        appendOne.LargestItemBytes.Should().BeLessThanOrEqualTo(1024, "the measured event is a 1 KB one");
        appendOne.ComputedWcu.Should().BeLessThanOrEqualTo(4, "a transaction writes the header and the event, each within 1 KB: 2 + 2 WCU");
        // DynamoDB Local's read figures follow AWS's rules, which checks the computation; its transactional write figure
        // does not (one flat number whatever the items), so the write target is asserted on the computed units.
        foreach (var row in new[] { eventsPage, lastEvent, backwardPage, afterPage, streamsPage, details, typesPage, typePage })
        {
            row.ComputedRcu.Should().Be(row.ReportedRcu ?? row.ComputedRcu, $"the computed read units of {row.Operation} agree with DynamoDB Local's");
        }
    }

    private async Task<Row> MeasureAsync(string operation, string original, HttpStatusCode expected, Func<Task<HttpResponseMessage>> send)
    {
        _log.Clear();
        using (var response = await send())
        {
            response.StatusCode.Should().Be(expected, $"{operation}: {await response.Content.ReadAsStringAsync()}");
        }

        var calls = _log.Calls;
        var computedRcu = 0.0;
        var computedWcu = 0.0;
        var largestItem = 0;
        foreach (var call in calls)
        {
            switch (call.Request)
            {
                // A write refused for its token (IdempotentParameterMismatch) is not executed; a cancelled one is counted in full (an upper bound).
                case TransactWriteItemsRequest write when call.Failure is null or TransactionCanceledException:
                    foreach (var item in write.TransactItems)
                    {
                        var bytes = item.Put is not null
                            ? DynamoDbCapacity.ItemSize(item.Put.Item)
                            : await StoredItemSizeAsync(item.Update?.TableName ?? item.ConditionCheck?.TableName ?? item.Delete!.TableName, item.Update?.Key ?? item.ConditionCheck?.Key ?? item.Delete!.Key);
                        largestItem = Math.Max(largestItem, bytes);
                        computedWcu += DynamoDbCapacity.TransactionalWriteUnits(bytes);
                    }

                    break;
                case QueryRequest query when call.Response is QueryResponse result:
                    computedRcu += DynamoDbCapacity.ReadUnits(result.Items.Sum(DynamoDbCapacity.ItemSize), query.ConsistentRead == true);
                    break;
                case BatchWriteItemRequest batch when call.Failure is null:
                    // Deletes of events: 1 WCU per item of up to 1 KB (the removed events are).
                    computedWcu += batch.RequestItems.Sum(table => table.Value.Count);
                    break;
                case GetItemRequest get when call.Response is GetItemResponse result:
                    computedRcu += DynamoDbCapacity.ReadUnits(result.Item is null ? 0 : DynamoDbCapacity.ItemSize(result.Item), get.ConsistentRead == true);
                    break;
                case TransactGetItemsRequest when call.Response is TransactGetItemsResponse result:
                    computedRcu += 2 * result.Responses.Sum(r => DynamoDbCapacity.ReadUnits(r.Item is null ? 0 : DynamoDbCapacity.ItemSize(r.Item), consistent: true));
                    break;
                default:
                    break;
            }
        }

        var reported = calls.Any(c => c.ConsumedCapacity.Count > 0);
        var row = new Row(
            operation,
            calls.Count,
            string.Join(", ", calls.Select(c => c.Failure is null ? c.Operation : $"{c.Operation} ({c.Failure.GetType().Name.Replace("Exception", string.Empty, StringComparison.Ordinal)})")),
            reported ? calls.Sum(c => c.ReadCapacityUnits) : null,
            reported ? calls.Sum(c => c.WriteCapacityUnits) : null,
            computedRcu,
            computedWcu,
            largestItem,
            original);
        _rows.Add(row);
        return row;
    }

    /// <summary>Size of an item an update or condition check touched, read outside the measured window.</summary>
    private async Task<int> StoredItemSizeAsync(string table, Dictionary<string, AttributeValue> key)
    {
        var dynamoDb = _server.Services.GetRequiredService<IAmazonDynamoDB>();
        var item = (await dynamoDb.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true })).Item;
        return item is null ? 0 : DynamoDbCapacity.ItemSize(item);
    }

    private async Task WriteTableAsync()
    {
        var table = new StringBuilder()
            .AppendLine("| operation | DynamoDB requests | calls | RCU reported / by AWS rules | WCU reported / by AWS rules | the original's requests |")
            .AppendLine("| --- | ---: | --- | ---: | ---: | ---: |");
        foreach (var row in _rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Operation} | {row.Requests} | {row.Calls} | {Units(row.ReportedRcu)} / {Units(row.ComputedRcu)} | {Units(row.ReportedWcu)} / {Units(row.ComputedWcu)} | {row.Original} |");
        }

        table.AppendLine()
            .AppendLine("Counted around the server's `IAmazonDynamoDB` against DynamoDB Local (`DynamoDbRequestCountTests`). Capacity: what")
            .AppendLine("DynamoDB Local reports (`ReturnConsumedCapacity = TOTAL`) / what AWS charges by its published rules for the items")
            .AppendLine("involved (transactional writes 2 WCU per KB per item, counted in full when cancelled, an upper bound; strongly consistent reads 1 RCU per 4 KB,")
            .AppendLine("the index queries half; index writes, 1 WCU per KB per index an item is in, not counted). DynamoDB Local reports one flat figure for every transaction, whatever its items, so only the")
            .AppendLine("second figure is a measure for writes. A repeat within 10 minutes meets its own client request token with other")
            .AppendLine("timestamps (`IdempotentParameterMismatch`, not executed) and reads the header before the event ids; later, like a conflict, 2.")
            .AppendLine("A stream type's item goes into the transaction that creates a stream only until the server process has written or")
            .AppendLine("listed the type: every other creation is the first row's transaction of header and events.");
        var text = table.ToString();
        output.WriteLine(text);
        var path = Path.Combine(RepositoryPaths.Root, ".artifacts", "dynamodb-request-counts.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text);
    }

    private static string Units(double? units) => units?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—";

    private async Task<int> CountTypeEventsAsync(string type)
    {
        using var response = await _client.GetAsync(new Uri($"streams/{type}/events", UriKind.Relative));
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamTypeEventPage").GetProperty("events").GetArrayLength();
    }

    private Task<HttpResponseMessage> PutAsync(string type, Guid id, int revision, string json) =>
        _client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json(json));

    private Task<HttpResponseMessage> PostAsync(string type, Guid id, string expectedRevision, string json) =>
        _client.PostAsync(new Uri($"streams/{type}/{id}/events?expected-revision={expectedRevision}", UriKind.Relative), Json(json));

    private sealed record Row(
        string Operation,
        int Requests,
        string Calls,
        double? ReportedRcu,
        double? ReportedWcu,
        double ComputedRcu,
        double ComputedWcu,
        int LargestItemBytes,
        string Original);
}
