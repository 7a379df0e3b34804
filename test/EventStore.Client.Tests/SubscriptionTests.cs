using System.Collections.Concurrent;
using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

/// <summary>Catch-up subscriptions by stream type through the client, against the real server on both stores.</summary>
public abstract class SubscriptionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : EventStoreServerFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly SubscriptionOptions FastPolling = new() { PollInterval = TimeSpan.FromMilliseconds(50), PageSize = 50 };

    private readonly EventStoreClient _client = server.CreateClient();

    [Fact]
    public async Task SubscribeToStreamTypeAsync_SixteenConcurrentWriters_DeliversEveryCommittedEventOnceInRevisionOrder()
    {
        const int Writers = 16;
        const int AppendsPerWriter = 15;
        var streamType = NewStreamType();
        var committed = new ConcurrentDictionary<Guid, (Guid StreamId, int Revision)>();
        var delivered = new ConcurrentQueue<SubscribedEvent>();
        using var stop = new CancellationTokenSource();

        // The subscriber starts from zero while the writers write: it catches up, then follows them live.
        var subscriber = Task.Run(() => CollectAsync(_client.SubscribeToStreamTypeAsync(streamType, null, FastPolling, stop.Token), delivered));
        var shared = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(
            () => WriteAsync(streamType, w, AppendsPerWriter, shared, committed),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()).ToArray();
        await Task.WhenAll(writers);
        await Poll.UntilAsync(() => delivered.Count >= committed.Count, Deadline, () => $"{committed.Count} events delivered, {delivered.Count} so far");
        await stop.CancelAsync();
        await subscriber;

        var events = delivered.ToList();
        events.Select(e => e.Event.EventId!.Value).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(committed.Keys);
        events.Select(e => committed[e.Event.EventId!.Value]).Should().Equal(events.Select(e => (e.Event.StreamId, e.Event.Revision)));
        foreach (var stream in events.GroupBy(e => e.Event.StreamId))
        {
            stream.Select(e => e.Event.Revision).Should().Equal(Enumerable.Range(1, stream.Count()), "each stream in revision order, without gaps");
        }

        // Resumed from a checkpoint saved halfway: the events after it, none twice, then what is appended since.
        var saved = events.Count / 2;
        var resumed = new ConcurrentQueue<SubscribedEvent>();
        using var stopResumed = new CancellationTokenSource();
        var resumedSubscriber = Task.Run(() => CollectAsync(_client.SubscribeToStreamTypeAsync(streamType, events[saved].Checkpoint, FastPolling, stopResumed.Token), resumed));
        var later = await _client.CreateStreamAsync(streamType, NewEvent.Create("later", new { }));
        var expected = events.Skip(saved + 1).Select(e => e.Event.EventId).Append(null).ToList();
        await Poll.UntilAsync(() => resumed.Count >= expected.Count, Deadline, () => $"{expected.Count} events after the checkpoint, {resumed.Count} so far");
        await stopResumed.CancelAsync();
        await resumedSubscriber;

        var after = resumed.ToList();
        after.Take(expected.Count - 1).Select(e => e.Event.EventId).Should().Equal(expected.Take(expected.Count - 1));
        after.Should().HaveCount(expected.Count);
        after[^1].Event.StreamId.Should().Be(later.StreamId);
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_ToTheEnd_LastPagesTokenResumesWithWhatWasAppendedSince()
    {
        var streamType = NewStreamType();
        var first = await _client.CreateStreamWithEventsAsync(streamType, 3);
        var pages = await UntilAsync(streamType, null, count: 3);
        var end = pages[^1].ContinuationToken;

        var second = await _client.CreateStreamWithEventsAsync(streamType, 2);
        var since = await UntilAsync(streamType, end, count: 2);

        pages.SelectMany(p => p.Values).Select(e => (e.Event.StreamId, e.Event.Revision)).Should().Equal((first, 1), (first, 2), (first, 3));
        pages[^1].HasMore.Should().BeFalse();
        since.SelectMany(p => p.Values).Select(e => (e.Event.StreamId, e.Event.Revision)).Should().Equal((second, 1), (second, 2));
    }

    [Fact]
    public async Task SubscribeToStreamTypeAsync_CheckpointNotFromTheServer_ThrowsEventStoreExceptionWith400()
    {
        var subscription = _client.SubscribeToStreamTypeAsync(NewStreamType(), "not-a-checkpoint", FastPolling);

        var thrown = await FluentActions.Awaiting(async () => await subscription.FirstAsync()).Should().ThrowAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(400);
        thrown.Which.ValidationErrors.Should().ContainKey("checkpoint");
    }

    [Fact]
    public async Task SubscribeToStreamTypeAsync_Canceled_EndsWithOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var subscription = _client.SubscribeToStreamTypeAsync(NewStreamType(), null, FastPolling, cancel.Token);
        var enumeration = Task.Run(async () => await subscription.FirstAsync());

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => enumeration).Should().ThrowAsync<OperationCanceledException>();
    }

    private static async Task CollectAsync(IAsyncEnumerable<SubscribedEvent> subscription, ConcurrentQueue<SubscribedEvent> into)
    {
        try
        {
            await foreach (var subscribed in subscription)
            {
                into.Enqueue(subscribed);
            }
        }
        catch (OperationCanceledException)
        {
            // The test's way to end it: a subscription ends only on cancellation.
        }
    }

    /// <summary>One writer: appends to streams of its own and to streams every writer shares, re-reading after a lost race.</summary>
    private async Task WriteAsync(string streamType, int writer, int appends, Guid[] shared, ConcurrentDictionary<Guid, (Guid, int)> committed)
    {
        var own = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var known = new Dictionary<Guid, int>();
        for (var i = 0; i < appends; i++)
        {
            var stream = i % 2 == 1 ? shared[(writer + i) % shared.Length] : own[i % own.Length];
            var events = Enumerable.Range(0, 1 + (i % 3)).Select(n => CountedEvent(n)).ToList();
            while (true)
            {
                var expected = known.GetValueOrDefault(stream);
                try
                {
                    var appended = await _client.AppendAsync(streamType, stream, expected, events);
                    for (var n = 0; n < events.Count; n++)
                    {
                        committed[events[n].EventId!.Value] = (stream, expected + 1 + n);
                    }

                    known[stream] = appended.Revision;
                    break;
                }
                catch (WrongExpectedRevisionException conflict)
                {
                    known[stream] = conflict.ActualRevision!.Value;
                }
            }
        }
    }

    /// <summary>The pages from <paramref name="checkpoint"/> to the end once they hold <paramref name="count"/> events (on DynamoDB, after the settle window).</summary>
    private async Task<List<Page<SubscribedEvent>>> UntilAsync(string streamType, string? checkpoint, int count)
    {
        var pages = new List<Page<SubscribedEvent>>();
        await Poll.UntilAsync(
            async () => (pages = await _client.GetStreamTypeEventsAsync(streamType, checkpoint).AsPages(checkpoint, 2).ToListAsync()).Sum(p => p.Values.Count) >= count,
            Deadline,
            () => $"{count} events of {streamType}");
        return pages;
    }
}

public sealed class SubscriptionTestsOnSqlite(EventStoreServerFixture server) : SubscriptionTests<EventStoreServerFixture>(server);

public sealed class SubscriptionTestsOnDynamoDb(ShortSettleDynamoDbServerFixture server) : SubscriptionTests<ShortSettleDynamoDbServerFixture>(server);
