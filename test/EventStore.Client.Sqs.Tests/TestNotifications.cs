using EventStore.Testing;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>Notifications and bodies the tests send, and the ways they fill a <see cref="TestQueue"/> with them.</summary>
internal static class TestNotifications
{
    /// <summary>
    /// A body whose StreamId escapes a lone surrogate: valid JSON, and valid for SQS (the escape is plain ASCII), but no
    /// text once unescaped, which System.Text.Json reports only when the string is read.
    /// </summary>
    public const string PoisonBody = """{"StreamId":"\ud800","StreamType":"order","StreamRevision":"1"}""";

    public static StreamNotification New(int revision = 1) => new(Guid.NewGuid(), "order", revision);

    /// <summary>Sends <paramref name="count"/> notifications at revisions 1 to <paramref name="count"/>.</summary>
    public static Task<IReadOnlyList<string>> SendNotificationsAsync(this TestQueue queue, int count) =>
        queue.SendManyAsync(Enumerable.Range(1, count).Select(i => StreamNotificationConverter.ToMessageBody(New(i))));

    /// <summary>Sends, in one batch, <paramref name="body"/> in the middle of <paramref name="goodCount"/> notifications.</summary>
    /// <returns>The id of <paramref name="body"/>'s message, and those of the notifications.</returns>
    public static async Task<(string Id, List<string> GoodIds)> SendAmongNotificationsAsync(this TestQueue queue, string body, int goodCount)
    {
        var bodies = Enumerable.Range(1, goodCount).Select(i => StreamNotificationConverter.ToMessageBody(New(i))).ToList();
        var position = goodCount / 2;
        bodies.Insert(position, body);
        bodies.Should().HaveCountLessThanOrEqualTo(10, "they are sent in one batch");
        var ids = (await queue.SendManyAsync(bodies)).ToList();
        var id = ids[position];
        ids.RemoveAt(position);
        return (id, ids);
    }
}
