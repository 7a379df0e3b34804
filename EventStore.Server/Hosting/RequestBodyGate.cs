using System.Threading.RateLimiting;
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
internal sealed partial class RequestBodyGate : IDisposable
{
    public const int LargeBodyBytes = 64 * 1024;

    private readonly RequestDelegate _next;
    private readonly ConcurrencyLimiter _largeBodies;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly IProblemDetailsService _problems;
    private readonly ILogger<RequestBodyGate> _logger;

    public RequestBodyGate(
        RequestDelegate next, IOptions<HttpOptions> options, TimeProvider timeProvider, IProblemDetailsService problems, ILogger<RequestBodyGate> logger)
    {
        _next = next;
        _problems = problems;
        _timeProvider = timeProvider;
        _logger = logger;
        _queueTimeout = options.Value.LargeBodyQueueTimeout;
        _largeBodies = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentLargeBodies,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
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

        using var lease = await AcquireAsync(context.RequestAborted);
        if (!lease.IsAcquired)
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

    public void Dispose() => _largeBodies.Dispose();

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0;

    private async ValueTask<RateLimitLease> AcquireAsync(CancellationToken requestAborted)
    {
        using var timeout = new CancellationTokenSource(_queueTimeout, _timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, timeout.Token);
        try
        {
            return await _largeBodies.AcquireAsync(cancellationToken: wait.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            return FailedLease.Instance;
        }
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A large request waited {QueueSeconds} s for its turn and was refused with 503")]
    private static partial void LogTooManyLargeBodies(ILogger logger, double queueSeconds);

    private sealed class FailedLease : RateLimitLease
    {
        public static readonly FailedLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>Reports a body whose framing is broken as the client's fault (400) rather than an I/O failure (500).</summary>
    private sealed class FramingCheckedStream(Stream inner, CancellationToken requestAborted) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (IOException exception) when (IsBadFraming(exception))
            {
                throw BadFraming(exception);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException exception) when (IsBadFraming(exception))
            {
                throw BadFraming(exception);
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // A client that went away is not a framing error (and gets no answer anyway).
        private bool IsBadFraming(IOException exception) =>
            exception is not BadHttpRequestException && !requestAborted.IsCancellationRequested;

        private static BadHttpRequestException BadFraming(IOException exception) =>
            new("The request body's framing is malformed.", StatusCodes.Status400BadRequest, exception);
    }
}
