using System.Collections.Concurrent;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests;

internal sealed record HandlerCall(StreamNotification Notification, NotificationContext Context);

/// <summary>What the test handler does, and what it saw: calls, completions, the most running at once.</summary>
internal sealed class HandlerProbe
{
    private int _running;
    private int _maxRunning;

    public Func<HandlerCall, CancellationToken, Task<NotificationResult>> Behavior { get; set; } = (_, _) => Task.FromResult(NotificationResult.Success());

    public ConcurrentQueue<HandlerCall> Calls { get; } = new();

    public ConcurrentQueue<HandlerCall> Completed { get; } = new();

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Running => Volatile.Read(ref _running);

    public async Task<NotificationResult> HandleAsync(StreamNotification notification, NotificationContext context, CancellationToken cancellationToken)
    {
        var call = new HandlerCall(notification, context);
        Calls.Enqueue(call);
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        try
        {
            var result = await Behavior(call, cancellationToken);
            Completed.Enqueue(call);
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>The handler under test: resolved per message, it defers to the host's <see cref="HandlerProbe"/>.</summary>
internal sealed class ProbeHandler(HandlerProbe probe) : IEventStoreNotificationHandler
{
    public Task<NotificationResult> HandleAsync(StreamNotification notification, NotificationContext context, CancellationToken cancellationToken) =>
        probe.HandleAsync(notification, context, cancellationToken);
}
