using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EventStore.Testing;

/// <summary>
/// Keeps, for after the run, every 500 the tests' in-process servers answered: the server logs the exception behind it
/// (the problem handler's "Unhandled exception", or Kestrel's for an exception outside it) and this appends it to
/// <see cref="Path"/>, which <c>.ci/run</c> prints after a failed run. A 500 is never what a test expects, and the server's
/// log is otherwise gone with the test; its exception says what the failing test's status code cannot.
/// </summary>
public sealed class UnexpectedErrorLog : ILoggerProvider
{
    private static readonly object Gate = new();

    /// <summary>The one instance, for every server of the test process.</summary>
    public static UnexpectedErrorLog Instance { get; } = new();

    /// <summary>The file the exceptions are appended to: <c>.artifacts/test-results/server-500s.log</c>.</summary>
    public static string Path { get; } = System.IO.Path.Combine(RepositoryPaths.Root, ".artifacts", "test-results", "server-500s.log");

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Whether an entry is the exception behind a 500.</summary>
    private static bool IsUnexpected(string category, EventId eventId) =>
        (category == "ServerlessEventStore.Server.Hosting.ProblemExceptionHandler" && eventId.Id == 2)
        || (category == "Microsoft.AspNetCore.Server.Kestrel" && eventId.Id == 13);

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error || !IsUnexpected(category, eventId))
            {
                return;
            }

            var entry = string.Create(
                CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:O} process {Environment.ProcessId} {category}[{eventId.Id}] {formatter(state, exception)}\n{exception}\n\n");
            lock (Gate)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                File.AppendAllText(Path, entry);
            }
        }
    }
}
