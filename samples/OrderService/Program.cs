using EventStore.Client;
using OrderService;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventStoreClient(builder.Configuration.GetSection("EventStore"));
builder.Services.AddSingleton<OrderStore>();
builder.Services.AddProblemDetails();

var app = builder.Build();
app.MapOrderEndpoints();
app.Run();
