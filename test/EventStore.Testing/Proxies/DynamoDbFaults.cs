using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace EventStore.Testing.Proxies;

/// <summary>
/// The exceptions the AWS SDK raises for DynamoDB faults that DynamoDB Local never produces, shaped as the SDK shapes
/// them (error code, HTTP status, error type), for <see cref="FaultInjection"/>.
/// </summary>
public static class DynamoDbFaults
{
    /// <summary>The table's (or partition's) provisioned throughput is exceeded.</summary>
    /// <returns>A new exception.</returns>
    public static Exception ProvisionedThroughputExceeded() => new ProvisionedThroughputExceededException(
        "The level of configured provisioned throughput for the table was exceeded.", null, ErrorType.Sender,
        nameof(ProvisionedThroughputExceededException), RequestId(), HttpStatusCode.BadRequest);

    /// <summary>The request rate is too high (the account's or an on-demand table's limits).</summary>
    /// <returns>A new exception.</returns>
    public static Exception Throttling() => new ThrottlingException(
        "Rate of requests exceeds the allowed throughput.", null, ErrorType.Sender,
        nameof(ThrottlingException), RequestId(), HttpStatusCode.BadRequest);

    /// <summary>
    /// DynamoDB failed internally; the operation may or may not have taken effect (AWS: retry it). With
    /// <see cref="FaultInjection.AfterForwarding"/> it models the ambiguous case: the write happened, its answer was lost.
    /// </summary>
    /// <returns>A new exception.</returns>
    public static Exception InternalServerError() => new InternalServerErrorException(
        "Internal server error", null, ErrorType.Receiver, "InternalServerError", RequestId(), HttpStatusCode.InternalServerError);

    /// <summary>A transaction was cancelled because another transaction touched one of its items at the same time.</summary>
    /// <param name="items">Number of items in the transaction (one reason per item).</param>
    /// <returns>A new exception.</returns>
    public static Exception TransactionConflict(int items = 2)
    {
        var exception = new TransactionCanceledException(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict" + string.Concat(Enumerable.Repeat(", None", items - 1)) + "]",
            null, ErrorType.Sender, nameof(TransactionCanceledException), RequestId(), HttpStatusCode.BadRequest);
        exception.CancellationReasons =
        [
            new CancellationReason { Code = "TransactionConflict", Message = "Transaction is ongoing for the item" },
            .. Enumerable.Range(1, items - 1).Select(_ => new CancellationReason { Code = "None" }),
        ];
        return exception;
    }

    private static string RequestId() => Guid.NewGuid().ToString("N").ToUpperInvariant();
}
