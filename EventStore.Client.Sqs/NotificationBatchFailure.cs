namespace ServerlessEventStore.Client.Sqs;

/// <summary>One entry of a batch that SQS did not carry out, e.g. an expired or invalid receipt handle.</summary>
public sealed class NotificationBatchFailure
{
    /// <summary>Creates a failure; for tests and mocks.</summary>
    /// <param name="receiptHandle">The receipt handle of the entry.</param>
    /// <param name="code">The SQS error code, e.g. <c>ReceiptHandleIsInvalid</c>.</param>
    /// <param name="message">The SQS error message.</param>
    /// <param name="senderFault">Whether the request was at fault (retrying it unchanged will fail again).</param>
    public NotificationBatchFailure(string receiptHandle, string code, string? message, bool senderFault)
    {
        ReceiptHandle = receiptHandle;
        Code = code;
        Message = message;
        SenderFault = senderFault;
    }

    /// <summary>The receipt handle of the entry.</summary>
    public string ReceiptHandle { get; }

    /// <summary>The SQS error code, e.g. <c>ReceiptHandleIsInvalid</c>.</summary>
    public string Code { get; }

    /// <summary>The SQS error message, if any.</summary>
    public string? Message { get; }

    /// <summary>Whether the request was at fault (retrying it unchanged will fail again) rather than the service.</summary>
    public bool SenderFault { get; }
}
