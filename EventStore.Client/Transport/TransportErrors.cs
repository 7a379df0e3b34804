using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Generated;

/// <summary>Turns the generated transport's exceptions into the public <see cref="EventStoreException"/> family.</summary>
internal static class TransportErrors
{
    private static readonly string[] RequestIdHeaders = ["X-Request-Id", "Request-Id"];

    /// <summary>Maps <paramref name="exception"/>; 404 and 409 become subtypes when the operation concerns one stream.</summary>
    public static EventStoreException ToEventStoreException(
        EventStoreTransportException exception,
        string? streamType = null,
        Guid? streamId = null,
        int? expectedRevision = null)
    {
        var problem = (exception as EventStoreTransportException<Problem>)?.Result
            ?? (IsProblemJson(exception.Headers) ? TryParseProblem(exception.Response) : null);
        var requestId = problem?.RequestId ?? FindRequestIdHeader(exception.Headers);

        return exception.StatusCode switch
        {
            404 when streamType is not null && streamId is not null =>
                new StreamNotFoundException(streamType, streamId.Value, problem, requestId, exception),
            409 when streamType is not null && streamId is not null && expectedRevision is not null =>
                new WrongExpectedRevisionException(streamType, streamId.Value, expectedRevision.Value, problem, requestId, exception),
            _ => new EventStoreException(Describe(exception, problem, requestId), exception.StatusCode, problem, requestId, exception),
        };
    }

    // The generated code parses only the statuses the contract lists; a problem body on any other status (e.g. a 500)
    // is still worth having. Other bodies (a proxy's HTML or JSON of its own) are not problem details.
    private static bool IsProblemJson(IReadOnlyDictionary<string, IEnumerable<string>> headers) =>
        headers.Any(header =>
            string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)
            && header.Value.Any(value => value.Contains("application/problem+json", StringComparison.OrdinalIgnoreCase)));

    private static Problem? TryParseProblem(string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Problem>(response, EventStoreJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FindRequestIdHeader(IReadOnlyDictionary<string, IEnumerable<string>> headers)
    {
        foreach (var (name, values) in headers)
        {
            if (RequestIdHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private static string Describe(EventStoreTransportException exception, Problem? problem, string? requestId)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"The event store answered with status {exception.StatusCode}");
        if (problem is null)
        {
            // No problem details: the transport's own words, e.g. that the body could not be read.
            message.Append(CultureInfo.InvariantCulture, $" ({exception.Message.TrimEnd('.')})");
        }

        if (!string.IsNullOrEmpty(problem?.Title))
        {
            message.Append(CultureInfo.InvariantCulture, $" ({problem.Title})");
        }

        if (!string.IsNullOrEmpty(problem?.Detail))
        {
            message.Append(CultureInfo.InvariantCulture, $": {problem.Detail}");
        }

        if (requestId is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $" [request {requestId}]");
        }

        return message.Append('.').ToString();
    }
}
