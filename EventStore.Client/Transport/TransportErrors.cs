using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Generated;

/// <summary>Turns the generated transport's exceptions into the public <see cref="EventStoreException"/> family.</summary>
internal static class TransportErrors
{
    /// <summary>Most invalid fields a message names; the rest are counted (all are in <see cref="EventStoreException.ValidationErrors"/>).</summary>
    internal const int MaxFieldsInMessage = 10;

    private static readonly string[] RequestIdHeaders = ["X-Request-Id", "Request-Id"];

    // Problem details from wherever they come (a proxy's may spell names in another case): web defaults, as the models'.
    private static readonly JsonTypeInfo<Problem> ProblemJson = CreateProblemJson();

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
            410 when streamType is not null && streamId is not null =>
                new StreamDeletedException(streamType, streamId.Value, problem, requestId, exception),
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
            return JsonSerializer.Deserialize(response, ProblemJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonTypeInfo<Problem> CreateProblemJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = EventStoreJson.TypeInfoResolver };
        options.MakeReadOnly();
        return (JsonTypeInfo<Problem>)options.GetTypeInfo(typeof(Problem));
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

        AppendValidationErrors(message, EventStoreException.ReadValidationErrors(problem), hasDetail: !string.IsNullOrEmpty(problem?.Detail));

        if (requestId is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $" [request {requestId}]");
        }

        // The detail and the field messages are sentences already; the request id is not.
        return (message[^1] == '.' ? message : message.Append('.')).ToString();
    }

    // "…: 'events[0].payload': The payload is required. 'events[1].eventType': … And 2 more fields." The names are quoted:
    // they hold dots and brackets of their own.
    private static void AppendValidationErrors(StringBuilder message, IReadOnlyDictionary<string, IReadOnlyList<string>> errors, bool hasDetail)
    {
        if (errors.Count == 0)
        {
            return;
        }

        message.Append(hasDetail ? " " : ": ");
        var separator = string.Empty;
        foreach (var (field, messages) in errors.Take(MaxFieldsInMessage))
        {
            message.Append(CultureInfo.InvariantCulture, $"{separator}'{field}'").Append(messages.Count == 0 ? " is invalid." : ":");
            foreach (var text in messages)
            {
                message.Append(' ').Append(AsSentence(text));
            }

            separator = " ";
        }

        if (errors.Count > MaxFieldsInMessage)
        {
            var more = errors.Count - MaxFieldsInMessage;
            message.Append(CultureInfo.InvariantCulture, $" And {more} more {(more == 1 ? "field" : "fields")}.");
        }
    }

    private static string AsSentence(string text) =>
        text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
}
