using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using EventStore.Testing;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>A receive as the client sent it: when (on the test's clock), what it asked for, and how it ended.</summary>
internal sealed record RecordedReceive(DateTimeOffset At, int WaitTimeSeconds, int MaxNumberOfMessages, Exception? Error);

/// <summary>A visibility change SQS carried out.</summary>
internal sealed record RecordedVisibilityChange(string ReceiptHandle, int VisibilityTimeoutSeconds);

/// <summary>
/// The real client against fauxqs, keeping what the code under test asked of SQS: every receive (failed ones too),
/// every visibility change and every deletion SQS carried out. What a test asserts on is what the worker or receiver
/// did, not how long it took.
/// </summary>
internal sealed class RecordingSqsClient(SnsSqsEmulator emulator, TimeProvider? time = null, Action<AmazonSQSConfig>? configure = null)
    : AmazonSQSClient(SnsSqsEmulator.Credentials, Configure(emulator, configure))
{
    private readonly TaskCompletionSource _receiveStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<RecordedReceive> Receives { get; } = new();

    public ConcurrentQueue<RecordedVisibilityChange> VisibilityChanges { get; } = new();

    public ConcurrentQueue<string> Deleted { get; } = new();

    /// <summary>
    /// Picks out messages that come back at once: each is made visible again as soon as it is received, as if its
    /// visibility timeout had run out. A test can then see such a message return (and reach the dead-letter queue)
    /// while every other message keeps the worker's visibility timeout, so a slow moment cannot bring those back too.
    /// </summary>
    public Func<Message, bool>? ReturnAtOnce { get; init; }

    /// <summary>Completes when the first receive has been handed to the SDK.</summary>
    public Task ReceiveStarted => _receiveStarted.Task;

    public override async Task<ReceiveMessageResponse> ReceiveMessageAsync(ReceiveMessageRequest request, CancellationToken cancellationToken = default)
    {
        var at = (time ?? TimeProvider.System).GetUtcNow();
        _receiveStarted.TrySetResult();
        try
        {
            var response = await base.ReceiveMessageAsync(request, cancellationToken);
            foreach (var message in (response.Messages ?? []).Where(m => ReturnAtOnce?.Invoke(m) == true))
            {
                await base.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest(request.QueueUrl, message.ReceiptHandle, 0), cancellationToken);
            }

            Receives.Enqueue(new RecordedReceive(at, request.WaitTimeSeconds ?? 0, request.MaxNumberOfMessages ?? 1, null));
            return response;
        }
        catch (Exception exception)
        {
            Receives.Enqueue(new RecordedReceive(at, request.WaitTimeSeconds ?? 0, request.MaxNumberOfMessages ?? 1, exception));
            throw;
        }
    }

    public override async Task<ChangeMessageVisibilityResponse> ChangeMessageVisibilityAsync(ChangeMessageVisibilityRequest request, CancellationToken cancellationToken = default)
    {
        var response = await base.ChangeMessageVisibilityAsync(request, cancellationToken);
        VisibilityChanges.Enqueue(new RecordedVisibilityChange(request.ReceiptHandle, request.VisibilityTimeout ?? 0));
        return response;
    }

    public override async Task<DeleteMessageBatchResponse> DeleteMessageBatchAsync(DeleteMessageBatchRequest request, CancellationToken cancellationToken = default)
    {
        var response = await base.DeleteMessageBatchAsync(request, cancellationToken);
        var entries = request.Entries.ToDictionary(e => e.Id, e => e.ReceiptHandle);
        foreach (var succeeded in response.Successful ?? [])
        {
            Deleted.Enqueue(entries[succeeded.Id]);
        }

        return response;
    }

    private static AmazonSQSConfig Configure(SnsSqsEmulator emulator, Action<AmazonSQSConfig>? configure)
    {
        var config = emulator.CreateSqsConfig();
        configure?.Invoke(config);
        return config;
    }
}
