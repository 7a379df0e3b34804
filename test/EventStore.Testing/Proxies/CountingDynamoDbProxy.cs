using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace EventStore.Testing.Proxies;

/// <summary>
/// A decorator of <see cref="IAmazonDynamoDB"/> (<see cref="DispatchProxy"/>) that records every call in a
/// <see cref="DynamoDbCallLog"/>: the operation, the request, whether it failed, and the capacity DynamoDB reported.
/// Asks for the capacity (<c>ReturnConsumedCapacity = TOTAL</c>) on every request that can return it and does not already.
/// </summary>
public class CountingDynamoDbProxy : DispatchProxy
{
    private IAmazonDynamoDB _inner = null!;
    private DynamoDbCallLog _log = null!;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The real client.</param>
    /// <param name="log">Receives the calls.</param>
    /// <returns>The decorator.</returns>
    public static IAmazonDynamoDB Wrap(IAmazonDynamoDB inner, DynamoDbCallLog log)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(log);
        var proxy = Create<IAmazonDynamoDB, CountingDynamoDbProxy>();
        var self = (CountingDynamoDbProxy)(object)proxy;
        self._inner = inner;
        self._log = log;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var request = args?.OfType<AmazonDynamoDBRequest>().FirstOrDefault();
        if (request is null)
        {
            return ProxyInvocation.Forward(_inner, targetMethod, args);
        }

        var returnCapacity = request.GetType().GetProperty("ReturnConsumedCapacity");
        if (returnCapacity is not null && returnCapacity.GetValue(request) is null)
        {
            returnCapacity.SetValue(request, ReturnConsumedCapacity.TOTAL);
        }

        var operation = targetMethod.Name.EndsWith("Async", StringComparison.Ordinal) ? targetMethod.Name[..^5] : targetMethod.Name;
        object? result;
        try
        {
            result = ProxyInvocation.Forward(_inner, targetMethod, args);
        }
        catch (Exception exception)
        {
            _log.Add(new DynamoDbCall(operation, request, null, exception, []));
            throw;
        }

        return ProxyInvocation.Then(targetMethod, result, (response, exception) =>
            _log.Add(new DynamoDbCall(operation, request, response as AmazonWebServiceResponse, exception, Capacity(response))));
    }

    private static List<ConsumedCapacity> Capacity(object? response) =>
        response?.GetType().GetProperty("ConsumedCapacity")?.GetValue(response) switch
        {
            ConsumedCapacity single => [single],
            IEnumerable many => many.OfType<ConsumedCapacity>().ToList(),
            _ => [],
        };
}

/// <summary>One call through <see cref="CountingDynamoDbProxy"/>.</summary>
/// <param name="Operation">The API operation, e.g. <c>TransactWriteItems</c>.</param>
/// <param name="Request">The request as sent.</param>
/// <param name="Response">The response, or <see langword="null"/> when it failed.</param>
/// <param name="Failure">The exception it failed with, or <see langword="null"/>.</param>
/// <param name="ConsumedCapacity">The capacity DynamoDB reported (empty when it reported none).</param>
public sealed record DynamoDbCall(string Operation, AmazonDynamoDBRequest Request, AmazonWebServiceResponse? Response, Exception? Failure, IReadOnlyList<ConsumedCapacity> ConsumedCapacity)
{
    /// <summary>Read capacity units reported (for reads, the total units).</summary>
    public double ReadCapacityUnits => ConsumedCapacity.Sum(c => c.ReadCapacityUnits ?? (IsWrite ? 0 : c.CapacityUnits ?? 0));

    /// <summary>Write capacity units reported (for writes, the total units).</summary>
    public double WriteCapacityUnits => ConsumedCapacity.Sum(c => c.WriteCapacityUnits ?? (IsWrite ? c.CapacityUnits ?? 0 : 0));

    private bool IsWrite => Operation is "TransactWriteItems" or "PutItem" or "UpdateItem" or "DeleteItem" or "BatchWriteItem";
}

/// <summary>The calls recorded by <see cref="CountingDynamoDbProxy"/>; thread-safe.</summary>
public sealed class DynamoDbCallLog
{
    private readonly ConcurrentQueue<DynamoDbCall> _calls = new();

    /// <summary>The calls so far, oldest first.</summary>
    public IReadOnlyList<DynamoDbCall> Calls => _calls.ToList();

    /// <summary>Forgets the calls so far (e.g. those of start-up).</summary>
    public void Clear() => _calls.Clear();

    internal void Add(DynamoDbCall call) => _calls.Enqueue(call);
}
