using System.Net.Sockets;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Polly;
using Polly.Retry;
using ServerlessEventStore.Server.Telemetry;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Runs a DynamoDB operation through a Polly retry pipeline (exponential backoff with jitter, on the injected
/// <see cref="TimeProvider"/>) for failures that pass: throttling, transaction conflicts, 5xx, timeouts, network errors,
/// and an append whose decision raced a concurrent write (<see cref="AppendRaceException"/>). What still fails, and any
/// other fault of the service, becomes <see cref="StorageUnavailableException"/> (503 with Retry-After), never a 500; a
/// missing table, and missing or refused credentials (<see cref="DynamoDbFailures"/>), become
/// <see cref="StorageMisconfiguredException"/>. The SDK's own retries are off (see
/// <see cref="DynamoDbClientFactory"/>), so that this is the one place that decides, and an append's retries reuse the
/// very same request (with its client request token).
/// </summary>
internal sealed partial class DynamoDbRetries
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

    private readonly string _tableName;
    private readonly string _location;
    private readonly ResiliencePipeline _pipeline;

    public DynamoDbRetries(string tableName, DynamoDbStorageOptions options, TimeProvider timeProvider, ILogger logger, ServerTelemetry? telemetry)
    {
        _tableName = tableName;
        _location = DynamoDbClientFactory.Location(options);
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && IsRetryable(exception, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    var exception = args.Outcome.Exception!;
                    var operation = args.Context.OperationKey ?? "request";
                    LogRetry(logger, operation, args.AttemptNumber + 1, options.MaxAttempts, exception.GetType().Name, exception.Message);
                    telemetry?.StorageRetry(TelemetryTags.DynamoDb, operation, args.AttemptNumber + 1, exception);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(async context => await attempt(context.CancellationToken), context);
        }
        catch (ResourceNotFoundException exception)
        {
            throw new StorageMisconfiguredException(
                $"The DynamoDB table '{_tableName}' does not exist (EventStore:DynamoDb:TableName): create it, or set EventStore:DynamoDb:CreateTable=true for local use.",
                exception);
        }
        catch (Exception exception) when (DynamoDbFailures.IsCredentialFailure(exception))
        {
            throw new StorageMisconfiguredException(
                DynamoDbFailures.DescribeCredentialFailure(_tableName, _location, exception) +
                " Give the server credentials allowed to use the table (AWS_ACCESS_KEY_ID, AWS_PROFILE, a role).",
                exception);
        }
        catch (Exception exception) when (IsRetryable(exception, cancellationToken) || exception is AmazonServiceException or AmazonClientException)
        {
            throw new StorageUnavailableException($"DynamoDB {operation} failed: {exception.Message}", exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether a later attempt may succeed where this one failed.</summary>
    public static bool IsRetryable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        // The caller gave up: nothing to retry. (A timeout of the SDK's HTTP client is a cancellation too, but not this one.)
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        AppendRaceException => true,
        TransactionCanceledException canceled => canceled.CancellationReasons?.Any(r => r.Code is { } code && RetryableReasons.Contains(code)) == true,
        AmazonServiceException service when (int)service.StatusCode >= 500 || (service.ErrorCode is { } code && RetryableErrorCodes.Contains(code)) => true,
        ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException
            or TransactionConflictException or TransactionInProgressException or InternalServerErrorException => true,
        OperationCanceledException or TimeoutException or HttpRequestException or IOException or SocketException => true,
        _ => exception.InnerException is { } inner && IsRetryable(inner, cancellationToken),
    };

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "DynamoDB {Operation} attempt {Attempt} of {MaxAttempts} failed with {ErrorType}, retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, string operation, int attempt, int maxAttempts, string errorType, string reason);
}
