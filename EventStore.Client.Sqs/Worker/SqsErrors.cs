using System.Net;
using Amazon.Runtime;
using Amazon.SQS.Model;

namespace ServerlessEventStore.Client.Sqs.Worker;

/// <summary>Tells errors that waiting will not fix (a missing queue, no permission) from those it may.</summary>
internal static class SqsErrors
{
    private static readonly HashSet<string> FatalCodes = new(StringComparer.Ordinal)
    {
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "AccessDenied",
        "AccessDeniedException",
        "InvalidAddress",
        "InvalidClientTokenId",
        "InvalidSecurity",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "KMS.AccessDeniedException",
    };

    public static bool IsFatal(Exception exception) =>
        exception is QueueDoesNotExistException
        || (exception is AmazonServiceException service
            && (service.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                || (service.ErrorCode is { } code && FatalCodes.Contains(code))));
}
