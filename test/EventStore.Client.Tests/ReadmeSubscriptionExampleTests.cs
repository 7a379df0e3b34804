using EventStore.Testing;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Tests;

/// <summary>The README's catch-up subscription example, compiled and run against the real server.</summary>
public sealed class ReadmeSubscriptionExampleTests(EventStoreServerFixture server) : IClassFixture<EventStoreServerFixture>
{
    [Fact]
    public async Task ReadmeSubscriptionExample_AgainstServer_ReplaysThenResumesAfterTheSavedCheckpoint()
    {
        var client = server.CreateClient();
        var first = Guid.NewGuid();
        await client.AppendAsync("order", first, 0, [NewEvent.Create("order-placed", new { }), NewEvent.Create("order-shipped", new { })]);
        string? saved = null;
        var applied = new List<(Guid, int)>();
        var until = 2;
        using var stop = new CancellationTokenSource();
        var stopping = stop.Token;

        // Other tests write "order" streams too: this read model counts its own, and is stopped once it has them.
        void Apply(RecordedEvent recorded)
        {
            if (recorded.StreamId == first)
            {
                applied.Add((recorded.StreamId, recorded.Revision));
                if (applied.Count == until)
                {
                    stop.Cancel();
                }
            }
        }

        // README subscription example begins
        // Replay every order from the saved checkpoint (all of them the first time), then follow new ones as they come.
        try
        {
            await foreach (var subscribed in client.SubscribeToStreamTypeAsync("order", saved, cancellationToken: stopping))
            {
                Apply(subscribed.Event);
                saved = subscribed.Checkpoint; // store it with what Apply stored: a restart resumes after this event
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // A subscription ends only when it is stopped (or a request fails: resume from the saved checkpoint).
        }
        // README subscription example ends

        applied.Should().Equal((first, 1), (first, 2));
        await client.AppendAsync("order", first, 2, NewEvent.Create("order-delivered", new { }));
        var since = await client.GetStreamTypeEventsAsync("order", saved).Where(e => e.Event.StreamId == first).ToListAsync();
        since.Select(e => e.Event.Revision).Should().Equal(3);
    }
}
