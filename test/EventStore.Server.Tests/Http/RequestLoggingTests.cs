using System.Collections.Concurrent;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.Server.Tests.Http;

public sealed class RequestLoggingTests
{
    [Fact]
    public async Task AnyRequest_Always_LogsOneStructuredLineWithTheRequestId()
    {
        var logs = new CapturingLoggerProvider();
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

    private sealed record LogEntry(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties);

    /// <summary>Keeps every log entry of the server with its structured properties.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(Entries);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), properties.ToList()));
            }
        }
    }
}
