using ServerlessEventStore.Client;

namespace ReadModelWorker;

/// <summary>
/// Builds <see cref="OrderSummaries"/> from the whole history at start-up: every event of every order stream, read with
/// the catch-up read of the stream type up to the end as it is now. Notifications then keep it up to date
/// (<see cref="OrderProjection"/>): every append committed after this read's end is notified, and those the read already
/// applied are skipped, since the read model applies each stream's events once, in revision order.
/// </summary>
internal sealed partial class OrderHistoryReplay(EventStoreClient eventStore, OrderSummaries summaries, ILogger<OrderHistoryReplay> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var count = 0;
        string? checkpoint = null;
        await foreach (var page in eventStore.GetStreamTypeEventsAsync(OrderSummaries.StreamType, cancellationToken: stoppingToken).AsPages(pageSizeHint: 1000))
        {
            foreach (var subscribed in page.Values)
            {
                summaries.Apply(subscribed.Event);
                count++;
            }

            checkpoint = page.ContinuationToken;
        }

        LogReplayed(count, checkpoint);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} order events from the history, up to checkpoint {Checkpoint}; notifications take over")]
    private partial void LogReplayed(int count, string? checkpoint);
}
