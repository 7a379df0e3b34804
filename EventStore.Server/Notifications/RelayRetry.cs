using Polly;
using Polly.Retry;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// How the relays retry what fails on the way to SNS (publishing, their change feed): for as long as it takes, the wait
/// doubling from <see cref="NotificationOptions.MinRetryDelay"/> to <see cref="NotificationOptions.MaxRetryDelay"/> —
/// a notification is never given up. One Polly pipeline on the injected <see cref="TimeProvider"/>, so that tests
/// drive the waits with a fake clock.
/// </summary>
internal static class RelayRetry
{
    /// <summary>
    /// Builds the pipeline, once per relay (building one validates its options by reflection); <paramref name="onRetry"/>
    /// is told of each failure and the wait before the next try.
    /// </summary>
    /// <param name="options">The retry delays.</param>
    /// <param name="timeProvider">The clock of the waits.</param>
    /// <param name="onRetry">Called with the failure, the delay before the next attempt and the execution's context.</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipeline Create(NotificationOptions options, TimeProvider timeProvider, Action<Exception, TimeSpan, ResilienceContext> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                Delay = options.MinRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && !(exception is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!, args.RetryDelay, args.Context);
                    return default;
                },
            })
            .Build();
}
