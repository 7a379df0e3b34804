using Microsoft.Extensions.Logging;

namespace EventStore.Server.Tests.Notifications;

/// <summary>Keeps every log line (category, level, message) written through it.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public List<(string Category, LogLevel Level, string Message)> Lines { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider.Lines)
            {
                provider.Lines.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
