using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessEventStore.Server.Tests.Http;

[Trait("Server", "InProcess")]
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task AnyRequest_Always_LogsOneStructuredLineWithTheRequestId()
    {
        var logs = new CollectingLoggerProvider();
        var server = EventStoreServerFixture.Create(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        await server.InitializeAsync();
        var streamId = Guid.NewGuid();
        HttpResponseMessage response;
        try
        {
            using var client = server.CreateHttpClient();
            response = await client.GetAsync(new Uri($"streams/t-{Guid.NewGuid():N}/{streamId}/details", UriKind.Relative));
        }
        finally
        {
            await server.DisposeAsync();
        }

        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var line = logs.Entries.Should().ContainSingle(entry => entry.Properties.Any(p => p.Key == "RequestId" && Equals(p.Value, requestId))).Subject;
        line.Level.Should().Be(LogLevel.Information);
        line.Properties.Should().Contain(new KeyValuePair<string, object?>("Method", "GET"));
        line.Properties.Should().Contain(new KeyValuePair<string, object?>("StatusCode", 404));
        line.Properties.Single(p => p.Key == "Path").Value!.ToString().Should().EndWith($"/{streamId}/details");
        line.Message.Should().Contain("responded 404").And.Contain(requestId).And.Contain(streamId.ToString());
    }
}
