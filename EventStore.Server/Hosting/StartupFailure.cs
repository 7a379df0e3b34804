using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>Says why the server could not start, in the words of its settings rather than of a stack trace.</summary>
internal static class StartupFailure
{
    public static string Describe(Exception exception) => exception switch
    {
        OptionsValidationException invalid => "invalid settings: " + string.Join(" ", invalid.Failures),
        AggregateException aggregate => string.Join(" ", aggregate.InnerExceptions.Select(Describe)),
        _ when exception.InnerException is { } inner && exception.Message.Contains(inner.Message, StringComparison.Ordinal) => exception.Message,
        _ when exception.InnerException is { } inner => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    };
}
