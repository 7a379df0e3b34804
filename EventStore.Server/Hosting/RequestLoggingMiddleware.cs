using System.Diagnostics;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// One log line per request (method, path, status, elapsed time), inside a scope carrying the request id, which is also
/// returned in <c>X-Request-Id</c> so that a caller can quote it.
/// </summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public const string RequestIdHeader = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.TraceIdentifier;
        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestIdHeader] = requestId;
            return Task.CompletedTask;
        });

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId });
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            // A PathString is written as in a URI, percent-escaped: nothing in it (a decoded %0A, say) can forge a log line.
            LogRequest(logger, context.Request.Method, context.Request.Path, status, elapsed.TotalMilliseconds, requestId);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMilliseconds:0.0} ms, request {RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, PathString path, int statusCode, double elapsedMilliseconds, string requestId);
}
