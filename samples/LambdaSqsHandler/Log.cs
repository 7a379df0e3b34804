namespace LambdaSqsHandler;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} failed and is reported for retry: {Reason}")]
    public static partial void RecordFailed(ILogger logger, string messageId, string reason);
}
