namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>An SQS message holding an SNS envelope, with the notification read from the envelope's Message.</summary>
public sealed record ReceivedNotification(
    string ReceiptHandle,
    string TopicArn,
    string Message,
    string? StreamTypeAttributeType,
    string? StreamTypeAttributeValue,
    Guid StreamId,
    string StreamType,
    int StreamRevision);
