using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EventStore.Testing;

namespace EventStore.Server.Tests.DynamoDb;

/// <summary>
/// A real client of DynamoDB Local that fails chosen calls: before a call reaches DynamoDB (throttling, conflicts), or
/// after it succeeded (a response lost on the way back). Calls are numbered from 1.
/// </summary>
public sealed class FaultInjectingDynamoDbClient(DynamoDbLocal dynamoDb)
    : AmazonDynamoDBClient(DynamoDbLocal.Credentials, new AmazonDynamoDBConfig { ServiceURL = dynamoDb.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })
{
    private int _transactCalls;
    private int _queryCalls;

    public Func<int, Exception?> BeforeTransact { get; set; } = _ => null;

    public Func<int, Exception?> AfterTransact { get; set; } = _ => null;

    public Func<int, Exception?> BeforeQuery { get; set; } = _ => null;

    public int TransactCalls => _transactCalls;

    /// <summary>The client request token of every transaction, in the order sent.</summary>
    public ConcurrentQueue<string?> TransactTokens { get; } = new();

    public int QueryCalls => _queryCalls;

    public override async Task<TransactWriteItemsResponse> TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _transactCalls);
        TransactTokens.Enqueue(request.ClientRequestToken);
        if (BeforeTransact(call) is { } before)
        {
            throw before;
        }

        var response = await base.TransactWriteItemsAsync(request, cancellationToken);
        return AfterTransact(call) is { } after ? throw after : response;
    }

    public override Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _queryCalls);
        return BeforeQuery(call) is { } before ? throw before : base.QueryAsync(request, cancellationToken);
    }
}
