using EventStore.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEventStoreServer();
var app = builder.Build();
app.MapEventStoreServer();
app.Run();
