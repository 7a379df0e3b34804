namespace ServerlessEventStore.Types;

/// <summary>
/// A message was not a stream notification: not JSON, an SNS envelope without its message, a missing member, a stream id
/// that is not a UUID, a revision that is not a positive integer. <see cref="MessageId"/> names the message when known.
/// </summary>
public sealed class NotificationFormatException : FormatException
{
    /// <summary>Creates an exception without a message id.</summary>
    public NotificationFormatException()
    {
    }

    /// <summary>Creates an exception without a message id.</summary>
    /// <param name="message">What is wrong with the message.</param>
    public NotificationFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a message id.</summary>
    /// <param name="message">What is wrong with the message.</param>
    /// <param name="innerException">The cause, e.g. a <see cref="System.Text.Json.JsonException"/>.</param>
    public NotificationFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for the message with id <paramref name="messageId"/>.</summary>
    /// <param name="message">What is wrong with the message.</param>
    /// <param name="messageId">The SQS message id, if known; it is prefixed to <see cref="Exception.Message"/>.</param>
    /// <param name="innerException">The cause, e.g. a <see cref="System.Text.Json.JsonException"/>.</param>
    public NotificationFormatException(string message, string? messageId, Exception? innerException = null)
        : base(messageId is null ? message : $"Message {messageId}: {message}", innerException)
    {
        MessageId = messageId;
    }

    /// <summary>The SQS message id of the malformed message; <see langword="null"/> when not known.</summary>
    public string? MessageId { get; }
}
