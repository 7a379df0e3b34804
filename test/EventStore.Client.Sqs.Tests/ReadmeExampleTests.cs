using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.SQS;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>The README's notification examples, verbatim between the markers, run against the real server and fauxqs.</summary>
public sealed class ReadmeExampleTests(EventStoreServerFixture server) : IClassFixture<EventStoreServerFixture>
{
    [Fact]
    public async Task ReadmeWorkerExample_NotificationsArrive_ReadModelCatchesUp()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync(maxReceiveCount: 3);
        var (eventStore, orderId) = await PlaceOrderAsync();
        var eventStoreUrl = server.BaseAddress;
        var queueUrl = queue.QueueUrl;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IAmazonSQS>(emulator.Sqs);

        // README worker example begins
        builder.Services.AddEventStoreClient(options => options.BaseAddress = eventStoreUrl);
        builder.Services.AddSingleton<OrderReadModel>();
        builder.Services.AddEventStoreNotificationHandler<OrderProjection>(options =>
        {
            options.QueueUrl = queueUrl;
            options.MaxConcurrency = 4;
        });
        // README worker example ends

        using var host = builder.Build();
        await host.StartAsync();
        await queue.SendAsync(new StreamNotification(orderId, "order", 1));
        await eventStore.AppendAsync("order", orderId, 1, NewEvent.Create("order-shipped", new { }));
        await queue.SendAsync(new StreamNotification(orderId, "order", 2));

        var readModel = host.Services.GetRequiredService<OrderReadModel>();
        await Poll.UntilAsync(() => readModel.Revision(orderId) == 2, TimeSpan.FromSeconds(20), () => "the read model reaches revision 2");
        readModel.EventTypes(orderId).Should().Equal("order-placed", "order-shipped");
        // Both append notifications done with (acknowledged), so that no handler still reading the stream applies its
        // events after the deletion: the read model has no order then, which is what the deletion must leave.
        await Poll.UntilAsync(async () => await queue.CountAsync() == 0, TimeSpan.FromSeconds(20), () => "the append notifications are acknowledged");
        await queue.SendAsync(new StreamNotification(orderId, "order", 2, StreamChange.Deleted));
        await Poll.UntilAsync(() => readModel.EventTypes(orderId).Count == 0, TimeSpan.FromSeconds(20), () => "the deletion removes the order from the read model");
        await Poll.UntilAsync(async () => await queue.CountAsync() == 0, TimeSpan.FromSeconds(20), () => "every notification is acknowledged");
        await host.StopAsync();
    }

    [Theory]
    [InlineData("not a notification")]
    [InlineData(TestNotifications.PoisonBody)]
    public async Task ReadmeLambdaExample_OneMalformedRecord_ReportsOnlyThatRecord(string malformedBody)
    {
        var (_, orderId) = await PlaceOrderAsync();
        var eventStoreUrl = server.BaseAddress;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddEventStoreClient(options => options.BaseAddress = eventStoreUrl);
        builder.Services.AddSingleton<OrderReadModel>();
        await using var app = builder.Build();
        var deletedId = Guid.NewGuid();
        app.Services.GetRequiredService<OrderReadModel>().Apply(
            new RecordedEvent(DateTimeOffset.UtcNow, Guid.NewGuid(), "order-placed", null, JsonDocument.Parse("{}").RootElement, 1, deletedId));

        // README Lambda example begins
        app.MapPost("/sqs", async (HttpRequest request, EventStoreClient eventStore, OrderReadModel readModel, CancellationToken cancellationToken) =>
        {
            var failed = new List<string>();
            foreach (var record in await StreamNotificationConverter.ReadSqsEventAsync(request.Body, cancellationToken))
            {
                try
                {
                    var notification = record.ToNotification();
                    if (notification.Change == StreamChange.Deleted)
                    {
                        readModel.Remove(notification.StreamId);
                        continue;
                    }

                    var checkpoint = readModel.Revision(notification.StreamId);
                    await foreach (var recorded in eventStore.GetEventsAsync(notification.StreamType, notification.StreamId, checkpoint, cancellationToken))
                    {
                        readModel.Apply(recorded);
                    }
                }
                catch (Exception exception) when (exception is NotificationFormatException or EventStoreException)
                {
                    failed.Add(record.MessageId); // left for redelivery, then the dead-letter queue
                }
            }

            return Results.Text(StreamNotificationConverter.CreateBatchResponse(failed), "application/json");
        });
        // README Lambda example ends

        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var lambdaEvent = new
        {
            Records = new[]
            {
                new { messageId = "good", receiptHandle = "h1", body = StreamNotificationConverter.ToMessageBody(new StreamNotification(orderId, "order", 1)), eventSource = "aws:sqs" },
                new { messageId = "bad", receiptHandle = "h2", body = malformedBody, eventSource = "aws:sqs" },
                new { messageId = "deleted", receiptHandle = "h3", body = StreamNotificationConverter.ToMessageBody(new StreamNotification(deletedId, "order", 1, StreamChange.Deleted)), eventSource = "aws:sqs" },
            },
        };

        using var response = await http.PostAsJsonAsync(new Uri("sqs", UriKind.Relative), lambdaEvent);

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString())
            .Should().Equal("bad");
        app.Services.GetRequiredService<OrderReadModel>().EventTypes(orderId).Should().Equal("order-placed");
        app.Services.GetRequiredService<OrderReadModel>().EventTypes(deletedId).Should().BeEmpty("the deleted order's entry is removed");
    }

    private async Task<(EventStoreClient Client, Guid OrderId)> PlaceOrderAsync()
    {
        var client = new EventStoreClient(server.CreateHttpClient());
        var orderId = Guid.NewGuid();
        await client.CreateStreamAsync("order", orderId, NewEvent.Create("order-placed", new { customer = "ACME" }));
        return (client, orderId);
    }
}

// README handler begins
/// <summary>Keeps the read model up to date: reads what a stream gained since this read model's checkpoint.</summary>
public sealed class OrderProjection(EventStoreClient eventStore, OrderReadModel readModel) : IEventStoreNotificationHandler
{
    public async Task<NotificationResult> HandleAsync(StreamNotification notification, NotificationContext context, CancellationToken cancellationToken)
    {
        if (notification.Change == StreamChange.Deleted)
        {
            readModel.Remove(notification.StreamId); // the stream is gone, and so is what the read model made of it
            return NotificationResult.Success();
        }

        var checkpoint = readModel.Revision(notification.StreamId);
        await foreach (var recorded in eventStore.GetEventsAsync(notification.StreamType, notification.StreamId, checkpoint, cancellationToken))
        {
            readModel.Apply(recorded);
        }

        return NotificationResult.Success();
    }
}
// README handler ends

/// <summary>A read model kept in memory: each order's events and the revision it has seen.</summary>
public sealed class OrderReadModel
{
    private readonly ConcurrentDictionary<Guid, List<string>> _orders = new();

    public int Revision(Guid orderId) => _orders.TryGetValue(orderId, out var events) ? events.Count : 0;

    public IReadOnlyList<string> EventTypes(Guid orderId) => _orders.TryGetValue(orderId, out var events) ? events : [];

    public void Remove(Guid orderId) => _orders.TryRemove(orderId, out _);

    public void Apply(RecordedEvent recorded)
    {
        var events = _orders.GetOrAdd(recorded.StreamId, _ => []);
        lock (events)
        {
            // At least once and unordered: an event already applied is skipped.
            if (recorded.Revision == events.Count + 1)
            {
                events.Add(recorded.EventType);
            }
        }
    }
}
