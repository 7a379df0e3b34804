using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EventStore.Server.Hosting;

/// <summary>
/// Guards request bodies on their way in. Large bodies (over 64 KB, or of unknown length) are read at most
/// <see cref="HttpOptions.MaxConcurrentLargeBodies"/> at a time, since parsing and storing one takes several times its
/// size in memory; the others wait their turn, and a request that can't get one within
/// <see cref="HttpOptions.LargeBodyQueueTimeout"/> gets 503 with Retry-After. And a body whose framing is broken (an
/// absurd chunk size, say) is a 400: Kestrel reports some of those as a bare <see cref="IOException"/>.
/// </summary>
internal sealed partial class RequestBodyGate
{
    public const int LargeBodyBytes = 64 * 1024;

    private readonly RequestDelegate _next;
    private readonly LargeBodyAdmission _largeBodies;
    private readonly TimeSpan _queueTimeout;
    private readonly IProblemDetailsService _problems;
    private readonly ILogger<RequestBodyGate> _logger;

    public RequestBodyGate(
        RequestDelegate next, LargeBodyAdmission largeBodies, IOptions<HttpOptions> options, IProblemDetailsService problems, ILogger<RequestBodyGate> logger)
    {
        _next = next;
        _largeBodies = largeBodies;
        _problems = problems;
        _logger = logger;
        _queueTimeout = options.Value.LargeBodyQueueTimeout;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && !HasChunkedBody(request)))
        {
            await _next(context);
            return;
        }

        request.Body = new FramingCheckedStream(request.Body, context.RequestAborted);
        if (request.ContentLength is <= LargeBodyBytes)
        {
            await _next(context);
            return;
        }

        using var lease = await _largeBodies.AcquireAsync(context.RequestAborted);
        if (lease is null)
        {
            LogTooManyLargeBodies(_logger, _queueTimeout.TotalSeconds);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            await _problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The server is busy; retry later.",
                    Detail = $"Too many large requests are being received: this one could not start within {_queueTimeout.TotalSeconds:0.#} s.",
                    Instance = context.Request.Path,
                },
            });
            return;
        }

        await _next(context);
    }

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0;

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A large request waited {QueueSeconds} s for its turn and was refused with 503")]
    private static partial void LogTooManyLargeBodies(ILogger logger, double queueSeconds);
}
