using ServerlessEventStore.Client;
using ServerlessEventStore.Client.Sqs;
using ReadModelWorker;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventStoreClient(builder.Configuration.GetSection("EventStore"));
builder.Services.AddSingleton<OrderSummaries>();
// At start-up: the read model from the whole history of the order streams (the catch-up read of the stream type).
builder.Services.AddHostedService<OrderHistoryReplay>();
// The worker: long-polls the queue, hands each notification to OrderProjection, deletes it after success.
builder.Services.AddEventStoreNotificationHandler<OrderProjection>(builder.Configuration.GetSection("Notifications"));

var app = builder.Build();
// The read side: what the read model holds now.
app.MapGet("/orders", (OrderSummaries summaries) => summaries.All());
app.MapGet("/orders/{orderId:guid}", (Guid orderId, OrderSummaries summaries) =>
    summaries.Find(orderId) is { } summary ? Results.Ok(summary) : Results.NotFound());
app.Run();
