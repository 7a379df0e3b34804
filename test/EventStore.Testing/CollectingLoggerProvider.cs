using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EventStore.Testing;

/// <summary>Keeps every log entry written through it (at every level), to assert on what a host logged; thread-safe.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    /// <summary>The entries so far, oldest first.</summary>
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
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
            var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            provider.Entries.Enqueue(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception, [.. properties]));
        }
    }
}

/// <summary>One entry kept by <see cref="CollectingLoggerProvider"/>.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Category">The logger's category, e.g. the type that logged.</param>
/// <param name="EventId">Its event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
/// <param name="Properties">Its structured properties (the message template's values, and <c>{OriginalFormat}</c>).</param>
public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> Properties);
