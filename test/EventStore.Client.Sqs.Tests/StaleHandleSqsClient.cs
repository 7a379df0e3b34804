using Amazon.SQS;
using Amazon.SQS.Model;
using EventStore.Testing;

namespace EventStore.Client.Sqs.Tests;

/// <summary>
/// The real client against fauxqs, except that a delete batch reports entries whose receipt handle starts with
/// <c>stale-</c> as failed, as SQS does for a handle it no longer accepts. fauxqs deletes silently whatever the handle,
/// so it cannot produce this partial failure itself.
/// </summary>
internal sealed class StaleHandleSqsClient(Fauxqs fauxqs)
    : AmazonSQSClient(Fauxqs.Credentials, new AmazonSQSConfig { ServiceURL = fauxqs.ServiceUrl.ToString(), AuthenticationRegion = Fauxqs.Region })
{
    public override async Task<DeleteMessageBatchResponse> DeleteMessageBatchAsync(DeleteMessageBatchRequest request, CancellationToken cancellationToken = default)
    {
        var stale = request.Entries.Where(e => e.ReceiptHandle.StartsWith("stale-", StringComparison.Ordinal)).ToList();
        var forwarded = new DeleteMessageBatchRequest { QueueUrl = request.QueueUrl, Entries = request.Entries.Except(stale).ToList() };
        var response = forwarded.Entries.Count > 0
            ? await base.DeleteMessageBatchAsync(forwarded, cancellationToken)
            : new DeleteMessageBatchResponse { Successful = [] };
        response.Failed = [.. response.Failed ?? [], .. stale.Select(e => new BatchResultErrorEntry
        {
            Id = e.Id,
            Code = "ReceiptHandleIsInvalid",
            Message = "The receipt handle has expired.",
            SenderFault = true,
        })];
        return response;
    }
}
