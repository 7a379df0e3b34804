using System.Collections.ObjectModel;
using System.Text.Json;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client;

/// <summary>
/// The event store answered a request with an error. <see cref="Status"/> is the HTTP status;
/// <see cref="Problem"/> holds the problem details the server sent, if any, <see cref="ValidationErrors"/> the invalid
/// fields of a 400, and <see cref="RequestId"/> the id under which the server logged the request. Subtypes:
/// <see cref="StreamNotFoundException"/> and <see cref="WrongExpectedRevisionException"/>.
/// </summary>
public class EventStoreException : Exception
{
    /// <summary>Creates an exception without a response; for mocking.</summary>
    public EventStoreException()
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    public EventStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public EventStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an error response.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="status">The HTTP status of the response.</param>
    /// <param name="problem">The problem details of the response, if it had any.</param>
    /// <param name="requestId">The server's id of the request; the problem's request id when omitted.</param>
    /// <param name="innerException">The cause.</param>
    public EventStoreException(string message, int status, Problem? problem, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Problem = problem;
        RequestId = requestId ?? problem?.RequestId;
        ValidationErrors = ReadValidationErrors(problem);
        ErrorCode = ReadErrorCode(problem);
    }

    /// <summary>The HTTP status of the response, e.g. 400, 413 or 503.</summary>
    public int Status { get; }

    /// <summary>The RFC 9457 problem details the server sent; <see langword="null"/> when the body was not problem details.</summary>
    public Problem? Problem { get; }

    /// <summary>The id of the request in the server's logs, if the server told it.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// The invalid fields of the request and what is wrong with each, as the problem details' <c>errors</c> name them
    /// (e.g. <c>events[0].payload</c>: <c>The payload is required.</c>); empty when the server named none.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ValidationErrors { get; } =
        ReadOnlyDictionary<string, IReadOnlyList<string>>.Empty;

    /// <summary>
    /// What kind of failure the server reported, from the problem details' <c>errorCode</c>: e.g.
    /// <see cref="EventStoreErrorCodes.StorageMisconfigured"/> for a 503 that retrying won't cure (the client does not
    /// retry it) and <see cref="EventStoreErrorCodes.StorageUnavailable"/> for one that may pass; <see langword="null"/>
    /// when the server named none.
    /// </summary>
    public string? ErrorCode { get; }

    private static string? ReadErrorCode(Problem? problem) =>
        problem?.AdditionalProperties.TryGetValue(EventStoreErrorCodes.MemberName, out var code) == true
            ? code switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : null;

    /// <summary>The <c>errors</c> of <paramref name="problem"/>; a field named without messages (JSON null) with none.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadValidationErrors(Problem? problem) =>
        problem?.Errors is { Count: > 0 } errors
            ? errors.ToDictionary(error => error.Key, error => error.Value ?? [], StringComparer.Ordinal).AsReadOnly()
            : ReadOnlyDictionary<string, IReadOnlyList<string>>.Empty;
}
