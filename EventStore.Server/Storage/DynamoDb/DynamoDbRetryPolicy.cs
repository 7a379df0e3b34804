using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ServerlessEventStore.Server.Telemetry;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Runs a DynamoDB operation with bounded retries (exponential backoff with jitter) for failures that pass: throttling,
/// transaction conflicts, 5xx, timeouts and network errors. What still fails, and any other fault of the service, becomes
/// <see cref="StorageUnavailableException"/> (503 with Retry-After), never a 500. The SDK's own retries are off (see
/// <see cref="DynamoDbClientFactory"/>), so that this is the one place that decides, and an append's retries reuse the
/// very same request (with its client request token).
/// </summary>
internal sealed partial class DynamoDbRetryPolicy(string tableName, int maxAttempts, TimeSpan baseDelay, ILogger logger, ServerTelemetry telemetry)
{
    // Cancellation reasons that a later attempt of the same transaction can overcome.
    private static readonly HashSet<string> RetryableReasons = new(StringComparer.Ordinal)
    {
        "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded",
    };

    private static readonly HashSet<string> RetryableErrorCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "Throttling", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "TransactionConflictException", "TransactionInProgressException", "InternalServerError", "ServiceUnavailable",
    };

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (ResourceNotFoundException exception)
            {
                throw new StorageMisconfiguredException(
                    $"The DynamoDB table '{tableName}' does not exist (EventStore:DynamoDb:TableName): create it, or set EventStore:DynamoDb:CreateTable=true for local use.",
                    exception);
            }
            catch (Exception exception) when (number < maxAttempts && IsRetryable(exception, cancellationToken))
            {
                LogRetry(logger, operation, number, maxAttempts, exception.GetType().Name, exception.Message);
                telemetry.StorageRetry(TelemetryTags.DynamoDb, operation, number, exception);
            }
            catch (Exception exception) when (IsRetryable(exception, cancellationToken) || exception is AmazonServiceException or AmazonClientException)
            {
                throw new StorageUnavailableException($"DynamoDB {operation} failed: {exception.Message}", exception);
            }

            await Task.Delay(Backoff(number), cancellationToken);
        }
    }

    /// <summary>Whether a later attempt may succeed where this one failed.</summary>
    public static bool IsRetryable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        // The caller gave up: nothing to retry. (A timeout of the SDK's HTTP client is a cancellation too, but not this one.)
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        TransactionCanceledException canceled => canceled.CancellationReasons?.Any(r => r.Code is { } code && RetryableReasons.Contains(code)) == true,
        AmazonServiceException service when (int)service.StatusCode >= 500 || (service.ErrorCode is { } code && RetryableErrorCodes.Contains(code)) => true,
        ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException
            or TransactionConflictException or TransactionInProgressException or InternalServerErrorException => true,
        OperationCanceledException or TimeoutException or HttpRequestException or IOException or SocketException => true,
        _ => exception.InnerException is { } inner && IsRetryable(inner, cancellationToken),
    };

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = baseDelay.Ticks << Math.Min(attempt - 1, 16);
        // Jitter over the upper half, so that concurrent retries spread out but none comes back immediately.
        return ceiling <= 1 ? TimeSpan.Zero : TimeSpan.FromTicks((ceiling / 2) + RandomTicks(ceiling / 2));
    }

    private static long RandomTicks(long below) => below <= 0 ? 0 : RandomNumberGenerator.GetInt32((int)Math.Min(below, int.MaxValue));

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "DynamoDB {Operation} attempt {Attempt} of {MaxAttempts} failed with {ErrorType}, retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, int maxAttempts, string errorType, string reason);
}
