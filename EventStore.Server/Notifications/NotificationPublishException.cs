namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// A notification was not accepted (the endpoint was unreachable, timed out or answered with an error). The notification
/// is still pending: a relay publishes it again later.
/// </summary>
public sealed class NotificationPublishException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotificationPublishException()
        : base("The notification was not published.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public NotificationPublishException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The transport's own error.</param>
    public NotificationPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
