namespace ServerlessEventStore.Client.Generated;

/// <summary>
/// Thrown by the generated transport (Generated/EventStore.Client.g.cs) for any response it does not return.
/// Internal: <see cref="EventStoreClient"/> turns it into <see cref="EventStoreException"/> or a subtype.
/// </summary>
internal class EventStoreTransportException : Exception
{
    public EventStoreTransportException(
        string message,
        int statusCode,
        string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers,
        Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Response = response;
        // Read now, while the response is not yet disposed: the exception outlives it.
        Headers = headers is ResponseHeaders fromResponse ? fromResponse.Read() : headers;
    }

    public int StatusCode { get; }

    public string? Response { get; }

    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }
}

/// <summary>A transport exception that carries the parsed error body.</summary>
internal sealed class EventStoreTransportException<TResult> : EventStoreTransportException
{
    public EventStoreTransportException(
        string message,
        int statusCode,
        string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers,
        TResult result,
        Exception? innerException)
        : base(message, statusCode, response, headers, innerException)
    {
        Result = result;
    }

    public TResult Result { get; }
}
