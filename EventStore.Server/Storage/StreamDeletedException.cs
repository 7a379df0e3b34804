namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// A read of a deleted stream: it reads as gone (410), unlike a stream that never existed (404). Thrown by the stores'
/// reads, answered by the API; never a fault of the store.
/// </summary>
public sealed class StreamDeletedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamDeletedException()
        : base("The stream was deleted.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was read.</param>
    public StreamDeletedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was read.</param>
    /// <param name="innerException">The cause.</param>
    public StreamDeletedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
