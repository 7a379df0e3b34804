using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Turns exceptions into problem details without internals: storage faults into 503 with Retry-After (the request may be
/// retried; <c>errorCode</c> <see cref="EventStoreErrorCodes.StorageUnavailable"/>), a misconfigured store into 503
/// without it, of a type and title of its own, saying what to fix (<see cref="EventStoreErrorCodes.StorageMisconfigured"/>,
/// which the client does not retry), events too large for the store and rejected request bodies (e.g. too large) into their status, anything
/// else into a logged, detail-free 500.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    private const string RetryAfterSeconds = "1";
    private const string MisconfiguredTitle = "The event storage is misconfigured; retrying will not help until its settings are fixed.";
    private const string UnavailableType = "urn:serverless-event-store:problem:" + EventStoreErrorCodes.StorageUnavailable;
    private const string MisconfiguredType = "urn:serverless-event-store:problem:" + EventStoreErrorCodes.StorageMisconfigured;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            StorageUnavailableException => (StatusCodes.Status503ServiceUnavailable, "The event storage is unavailable; retry later."),
            StorageMisconfiguredException => (StatusCodes.Status503ServiceUnavailable, MisconfiguredTitle),
            StorageLimitExceededException => (StatusCodes.Status413PayloadTooLarge, "The events are too large to store."),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "The request body is larger than 1 MB."),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        string? detail = null;
        string? type = null;
        string? errorCode = null;
        switch (status)
        {
            case StatusCodes.Status500InternalServerError:
                LogUnhandled(logger, exception);
                break;
            case StatusCodes.Status503ServiceUnavailable when exception is StorageMisconfiguredException:
                // Not a passing fault: no Retry-After, and the detail says what to fix.
                LogStorageMisconfigured(logger, exception.Message);
                detail = exception.Message;
                (type, errorCode) = (MisconfiguredType, EventStoreErrorCodes.StorageMisconfigured);
                break;
            case StatusCodes.Status503ServiceUnavailable:
                LogStorageUnavailable(logger, exception);
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
                (type, errorCode) = (UnavailableType, EventStoreErrorCodes.StorageUnavailable);
                break;
            default:
                LogRejected(logger, status, exception.Message);
                break;
        }

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails { Type = type, Status = status, Title = title, Detail = detail, Instance = httpContext.Request.Path };
        if (errorCode is not null)
        {
            problem.Extensions[EventStoreErrorCodes.MemberName] = errorCode;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Event storage unavailable")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Event storage misconfigured: {Reason}")]
    private static partial void LogStorageMisconfigured(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Request rejected with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason);
}
