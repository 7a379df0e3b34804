namespace ServerlessEventStore.Client.Sqs;

/// <summary>What an <see cref="IEventStoreNotificationHandler"/> made of a notification: success, or retry later.</summary>
public sealed class NotificationResult
{
    private NotificationResult(bool isSuccess, TimeSpan? retryDelay)
    {
        IsSuccess = isSuccess;
        RetryDelay = retryDelay;
    }

    private static readonly NotificationResult Handled = new(isSuccess: true, retryDelay: null);

    /// <summary>Handled: the worker acknowledges (deletes) the message.</summary>
    /// <returns>The result.</returns>
    public static NotificationResult Success() => Handled;

    /// <summary>Whether the notification was handled.</summary>
    public bool IsSuccess { get; }

    /// <summary>
    /// When not <see cref="IsSuccess"/>: how long until the message is delivered again; <see langword="null"/> for when
    /// its visibility timeout ends.
    /// </summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>
    /// Not handled now: the message is delivered again after <paramref name="delay"/> (rounded up to whole seconds, at
    /// most 12 hours; zero for at once), or when its visibility timeout ends if no delay is given. Each delivery counts
    /// towards the queue's <c>maxReceiveCount</c>, after which the message moves to the dead-letter queue.
    /// </summary>
    /// <param name="delay">How long until the message is delivered again.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative or over 12 hours.</exception>
    public static NotificationResult Retry(TimeSpan? delay = null)
    {
        if (delay is { } value && (value < TimeSpan.Zero || value > StreamNotificationReceiver.MaxVisibilityTimeout))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), value, "A retry delay must be between 0 and 12 hours.");
        }

        return new NotificationResult(isSuccess: false, delay);
    }
}
