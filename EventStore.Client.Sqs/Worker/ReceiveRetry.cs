using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ServerlessEventStore.Client.Sqs.Worker;

/// <summary>
/// The worker's retries of a failed receive, as a Polly pipeline around it: every error but a fatal one
/// (<see cref="SqsErrors.IsFatal"/>) is retried, for as long as the worker runs, after a capped exponential backoff with
/// jitter (about 1 s, 2 s, 4 s, … at most 30 s), each retry logged with its delay. A receive that succeeds starts the next
/// one's backoff afresh. The delays run on the worker's <see cref="TimeProvider"/>; stopping the worker ends a delay.
/// </summary>
internal static class ReceiveRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public static ResiliencePipeline Create(TimeProvider timeProvider, ILogger logger, string queueUrl) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception
                    && !SqsErrors.IsFatal(exception)
                    && !args.Context.CancellationToken.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    logger.ReceiveFailed(args.Outcome.Exception!, queueUrl, args.RetryDelay);
                    return default;
                },
            })
            .Build();
}
