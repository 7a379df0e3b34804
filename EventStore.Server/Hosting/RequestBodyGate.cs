using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Guards request bodies on their way in. Large bodies (over 64 KB, or of unknown length) are received in full and then
/// parsed and stored at most <see cref="HttpOptions.MaxConcurrentLargeBodies"/> at a time, since that takes several
/// times a body's size in memory; the others wait their turn (at most <see cref="HttpOptions.MaxQueuedLargeBodies"/> of
/// them), and a request that can't get one within <see cref="HttpOptions.LargeBodyQueueTimeout"/> gets 503 with
/// Retry-After. And a body whose framing is broken (an absurd chunk size, say) is a 400: Kestrel reports some of those
/// as a bare <see cref="IOException"/>.
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
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
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

        // Received in full before it waits for a turn, so that a slow sender holds none (Kestrel's minimum data rate
        // bounds how slow); only parsing and storing, which take several times the body's size, wait for one.
        await ReceiveAsync(request.BodyReader, context.RequestAborted);
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
                    Detail = "Too many large requests are being received: this one did not get its turn in time.",
                    Instance = context.Request.Path,
                },
            });
            return;
        }

        await _next(context);
    }

    /// <summary>Reads until the whole body is in the connection's buffer, consuming none of it (the app reads it next).</summary>
    private static async Task ReceiveAsync(PipeReader body, CancellationToken requestAborted)
    {
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(requestAborted);
                if (read.IsCompleted || read.IsCanceled)
                {
                    body.AdvanceTo(read.Buffer.Start);
                    return;
                }

                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (IOException exception) when (FramingCheckedStream.IsBadFraming(exception, requestAborted))
        {
            throw FramingCheckedStream.BadFraming(exception);
        }
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A large request did not get its turn (the queue was full, or {QueueSeconds} s passed) and was refused with 503")]
    private static partial void LogTooManyLargeBodies(ILogger logger, double queueSeconds);
}
