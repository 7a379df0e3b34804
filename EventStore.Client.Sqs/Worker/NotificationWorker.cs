using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Amazon.Runtime;
using Amazon.SQS;
using Polly;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client.Sqs.Worker;

/// <summary>
/// The pump behind <c>AddEventStoreNotificationHandler&lt;THandler&gt;</c>: long-polls the queue, runs
/// <typeparamref name="THandler"/> on at most <see cref="EventStoreNotificationHandlerOptions.MaxConcurrency"/> messages
/// at once, keeps running handlers' messages hidden, acknowledges after success (in batches when several finish
/// together) and leaves everything else for redelivery and the dead-letter queue.
/// </summary>
/// <remarks>
/// On shutdown it stops receiving, lets running handlers finish and acknowledges them; handlers are cancelled only when
/// the host's shutdown timeout has passed. A missing queue or denied access stops it (and the host) with a critical
/// log; other receive errors are retried with capped exponential backoff (<see cref="ReceiveRetry"/>). Every wait of its
/// own (the backoff, the visibility extension's interval) and the handler's measured duration run on the
/// <see cref="TimeProvider"/> of the container.
/// </remarks>
internal sealed class NotificationWorker<THandler> : BackgroundService
    where THandler : class, IEventStoreNotificationHandler
{
    private static readonly string HandlerName = typeof(THandler).Name;

    private readonly IServiceProvider _services;
    private readonly EventStoreNotificationHandlerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _handlerStop = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private readonly Channel<ReceivedNotification> _acknowledgements = Channel.CreateUnbounded<ReceivedNotification>(
        new UnboundedChannelOptions { SingleReader = true });

    private AmazonSQSClient? _ownedSqs;

    public NotificationWorker(
        IServiceProvider services,
        IOptionsMonitor<EventStoreNotificationHandlerOptions> options,
        ILogger<NotificationWorker<THandler>> logger,
        TimeProvider timeProvider)
    {
        _services = services;
        _options = options.Get(EventStoreNotificationHandlerServiceCollectionExtensions.OptionsName<THandler>());
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Returns when the running handlers are drained or the host's shutdown timeout has passed; in the latter case
        // the handlers still running are cancelled (their messages are delivered again).
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (ExecuteTask is { IsCompleted: false })
        {
            await _handlerStop.CancelAsync().ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _handlerStop.Dispose();
        _ownedSqs?.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sqs = _services.GetService<IAmazonSQS>() ?? (_ownedSqs = CreateSqsClient(_options));
        var receiver = new StreamNotificationReceiver(sqs, _options.QueueUrl!);
        _logger.Started(receiver.QueueUrl, HandlerName, _options.MaxConcurrency);
        var acknowledging = AcknowledgeAsync(receiver);
        var receiveRetry = ReceiveRetry.Create(_timeProvider, _logger, receiver.QueueUrl);
        using var slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        try
        {
            await ReceiveUntilStoppedAsync(receiver, receiveRetry, slots, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _logger.Stopping(receiver.QueueUrl, _running.Count);
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
            _acknowledgements.Writer.TryComplete();
            await acknowledging.ConfigureAwait(false);
            _logger.Stopped(receiver.QueueUrl);
        }
    }

    private static AmazonSQSClient CreateSqsClient(EventStoreNotificationHandlerOptions options)
    {
        var config = new AmazonSQSConfig();
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl.ToString();
        }

        return new AmazonSQSClient(config);
    }

    private async Task ReceiveUntilStoppedAsync(
        StreamNotificationReceiver receiver, ResiliencePipeline receiveRetry, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Ask for as many messages as there are free slots, so that no message waits hidden for a handler.
            var free = 1;
            while (free < _options.MaxMessagesPerReceive && slots.Wait(0, CancellationToken.None))
            {
                free++;
            }

            IReadOnlyList<ReceivedNotification> received;
            try
            {
                received = await receiveRetry.ExecuteAsync(
                    static (state, token) => new ValueTask<IReadOnlyList<ReceivedNotification>>(
                        state.Receiver.ReceiveAsync(state.Free, state.Options.WaitTime, state.Options.VisibilityTimeout, token)),
                    (Receiver: receiver, Free: free, Options: _options),
                    stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever ends a receive while the worker stops ends the loop: nothing is received any more.
            catch (Exception) when (stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                slots.Release(free);
                return;
            }
            catch (Exception exception) when (SqsErrors.IsFatal(exception))
            {
                slots.Release(free);
                _logger.ReceiveFatal(exception, receiver.QueueUrl, (exception as AmazonServiceException)?.ErrorCode ?? exception.GetType().Name);
                throw;
            }

            if (received.Count < free)
            {
                slots.Release(free - received.Count);
            }

            foreach (var message in received)
            {
                var processing = ProcessAsync(receiver, message, slots);
                _running.TryAdd(processing, true);
                _ = processing.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task ProcessAsync(StreamNotificationReceiver receiver, ReceivedNotification message, SemaphoreSlim slots)
    {
        try
        {
            // Off the receive loop's thread, so that a handler that blocks does not hold up receiving.
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            using var activity = WorkerTelemetry.Start(HandlerName, message);
            if (message.IsMalformed)
            {
                _logger.Malformed(message.FormatError, message.MessageId, receiver.QueueUrl, message.ReceiveCount);
                WorkerTelemetry.Complete(activity, HandlerName, message, WorkerTelemetry.Malformed, handlerDuration: null);
                return;
            }

            var started = _timeProvider.GetTimestamp();
            var result = await HandleAsync(receiver, message, message.Notification, activity).ConfigureAwait(false);
            var outcome = result is null ? WorkerTelemetry.Failed : result.IsSuccess ? WorkerTelemetry.Success : WorkerTelemetry.Retry;
            WorkerTelemetry.Complete(activity, HandlerName, message, outcome, _timeProvider.GetElapsedTime(started));
            if (result is null)
            {
                return;
            }

            if (result.IsSuccess)
            {
                await _acknowledgements.Writer.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var notification = message.Notification;
            _logger.RetryRequested(HandlerName, message.MessageId, notification.StreamType, notification.StreamId, notification.StreamRevision,
                result.RetryDelay?.ToString() ?? "its visibility timeout");
            if (result.RetryDelay is { } delay)
            {
                await ChangeVisibilityAsync(receiver, message, delay).ConfigureAwait(false);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Runs the handler in a scope of its own while keeping the message hidden; <see langword="null"/> when it failed.</summary>
    private async Task<NotificationResult?> HandleAsync(StreamNotificationReceiver receiver, ReceivedNotification message, StreamNotification notification, Activity? activity)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["MessageId"] = message.MessageId,
            ["StreamId"] = notification.StreamId,
            ["StreamType"] = notification.StreamType,
            ["StreamRevision"] = notification.StreamRevision,
        });
        using var extending = new CancellationTokenSource();
        var extender = _options.ExtendVisibility ? ExtendVisibilityAsync(receiver, message, extending.Token) : Task.CompletedTask;
        try
        {
            var services = _services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            await using (services.ConfigureAwait(false))
            {
                var handler = services.ServiceProvider.GetRequiredService<THandler>();
                var context = new NotificationContext(receiver.QueueUrl, message.MessageId, message.ReceiveCount);
                var result = await handler.HandleAsync(notification, context, _handlerStop.Token).ConfigureAwait(false);
                if (result is null)
                {
                    _logger.NoResult(HandlerName, message.MessageId);
                }
                else if (result.IsSuccess)
                {
                    _logger.Handled(message.MessageId, notification.StreamType, notification.StreamId, notification.StreamRevision);
                }

                return result;
            }
        }
        catch (OperationCanceledException) when (_handlerStop.IsCancellationRequested)
        {
            _logger.HandlerAbandoned(message.MessageId, notification.StreamId);
            return null;
        }
#pragma warning disable CA1031 // A failing handler must not stop the worker: its message is delivered again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WorkerTelemetry.Fail(activity, exception);
            _logger.HandlerFailed(exception, HandlerName, message.MessageId, notification.StreamType, notification.StreamId, notification.StreamRevision, message.ReceiveCount);
            return null;
        }
        finally
        {
            // Stop extending, and wait for an extension in progress, before the message is acknowledged or released.
            await extending.CancelAsync().ConfigureAwait(false);
            await extender.ConfigureAwait(false);
        }
    }

    private async Task ExtendVisibilityAsync(StreamNotificationReceiver receiver, ReceivedNotification message, CancellationToken stop)
    {
        var interval = _options.EffectiveExtensionInterval;
        while (true)
        {
            try
            {
                await Task.Delay(interval, _timeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (await ChangeVisibilityAsync(receiver, message, _options.VisibilityTimeout).ConfigureAwait(false))
            {
                _logger.VisibilityExtended(message.MessageId, _options.VisibilityTimeout);
            }
        }
    }

    private async Task<bool> ChangeVisibilityAsync(StreamNotificationReceiver receiver, ReceivedNotification message, TimeSpan visibilityTimeout)
    {
        try
        {
            // Not cancellable: a change cut off mid-request could still land after the message was acknowledged.
            await receiver.ChangeVisibilityAsync(message.ReceiptHandle, visibilityTimeout, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // A failed change only costs an earlier or later redelivery.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.VisibilityChangeFailed(exception, message.MessageId);
            return false;
        }
    }

    /// <summary>Deletes handled messages, batching those that finished while the previous batch was being deleted.</summary>
    private async Task AcknowledgeAsync(StreamNotificationReceiver receiver)
    {
        var batch = new List<ReceivedNotification>(StreamNotificationReceiver.MaxMessagesPerReceive);
        var reader = _acknowledgements.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < StreamNotificationReceiver.MaxMessagesPerReceive && reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            try
            {
                var result = await receiver.AcknowledgeAsync(batch.Select(m => m.ReceiptHandle), CancellationToken.None).ConfigureAwait(false);
                foreach (var failure in result.Failed)
                {
                    var message = batch.First(m => m.ReceiptHandle == failure.ReceiptHandle);
                    _logger.AcknowledgeFailed(message.MessageId, failure.Code, failure.Message);
                }
            }
#pragma warning disable CA1031 // An acknowledgement lost to an error only means a redelivery.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                foreach (var message in batch)
                {
                    _logger.AcknowledgeFailed(message.MessageId, exception.GetType().Name, exception.Message);
                }
            }
        }
    }
}
