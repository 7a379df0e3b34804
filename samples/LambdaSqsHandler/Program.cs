using ServerlessEventStore.Client;
using ServerlessEventStore.Types;
using LambdaSqsHandler;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventStoreClient(builder.Configuration.GetSection("EventStore"));
builder.Services.AddSingleton<OrderReadModel>();

var app = builder.Build();

// The AWS Lambda Web Adapter posts each non-HTTP event (here: a batch of SQS messages) as JSON to this path
// (AWS_LWA_PASS_THROUGH_PATH, default /events) and returns the response to Lambda. With the event source mapping's
// ReportBatchItemFailures on, only the records named in batchItemFailures are retried.
app.MapPost("/events", async (HttpRequest request, EventStoreClient eventStore, OrderReadModel readModel, ILogger<OrderReadModel> logger, CancellationToken cancellationToken) =>
{
    var failed = new List<string>();
    foreach (var record in await StreamNotificationConverter.ReadSqsEventAsync(request.Body, cancellationToken))
    {
        StreamNotification? notification = null;
        try
        {
            notification = record.ToNotification();
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
        catch (StreamNotFoundException) when (notification is not null)
        {
            readModel.Remove(notification.StreamId); // deleted since: this notification came late, and is done with
        }
        catch (Exception exception) when (exception is NotificationFormatException or EventStoreException)
        {
            Log.RecordFailed(logger, record.MessageId, exception.Message);
            failed.Add(record.MessageId); // left for redelivery, then the dead-letter queue
        }
    }

    return Results.Text(StreamNotificationConverter.CreateBatchResponse(failed), "application/json");
});

// What the read model holds, to look at.
app.MapGet("/orders/{orderId:guid}", (Guid orderId, OrderReadModel readModel) =>
    readModel.Revision(orderId) > 0 ? Results.Ok(readModel.EventTypes(orderId)) : Results.NotFound());
app.Run();
