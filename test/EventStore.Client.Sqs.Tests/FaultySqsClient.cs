using Amazon.SQS;
using Amazon.SQS.Model;
using EventStore.Testing;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>
/// The real client against fauxqs, with two failures that fauxqs cannot produce itself:
/// <list type="bullet">
/// <item>a delete batch reports entries whose receipt handle starts with <c>stale-</c> as failed, as SQS does for a
/// handle it no longer accepts (fauxqs deletes silently whatever the handle);</item>
/// <item>a received message whose body is <see cref="UnreadableBody"/> comes back without its receipt handle, which SQS
/// never does: the stand-in for a message the receiver cannot read for a reason other than its body.</item>
/// </list>
/// </summary>
internal sealed class FaultySqsClient(SnsSqsEmulator emulator) : AmazonSQSClient(SnsSqsEmulator.Credentials, emulator.CreateSqsConfig())
{
    public const string UnreadableBody = "unreadable";

    public override async Task<ReceiveMessageResponse> ReceiveMessageAsync(ReceiveMessageRequest request, CancellationToken cancellationToken = default)
    {
        var response = await base.ReceiveMessageAsync(request, cancellationToken);
        foreach (var message in response.Messages ?? [])
        {
            if (message.Body == UnreadableBody)
            {
                message.ReceiptHandle = null;
            }
        }

        return response;
    }

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
