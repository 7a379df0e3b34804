using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client;

/// <summary>
/// An append was rejected because the stream's revision was not <see cref="ExpectedRevision"/> (HTTP 409): another
/// writer appended first, or the stream already existed when it was to be created. Read the stream again, decide
/// again, and append at <see cref="ActualRevision"/>.
/// </summary>
public class WrongExpectedRevisionException : EventStoreException
{
    /// <summary>Creates an exception without a response; for mocking.</summary>
    public WrongExpectedRevisionException()
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    public WrongExpectedRevisionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WrongExpectedRevisionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a 409 response.</summary>
    /// <param name="streamType">Type of the stream appended to.</param>
    /// <param name="streamId">Id of the stream appended to.</param>
    /// <param name="expectedRevision">The revision the caller expected the stream to have.</param>
    /// <param name="problem">The problem details of the response, whose <c>currentRevision</c> is the actual revision.</param>
    /// <param name="requestId">The server's id of the request; the problem's request id when omitted.</param>
    /// <param name="innerException">The cause.</param>
    public WrongExpectedRevisionException(
        string streamType,
        Guid streamId,
        int expectedRevision,
        Problem? problem,
        string? requestId = null,
        Exception? innerException = null)
        : base(
            $"Stream '{streamType}/{streamId}' was expected at revision {expectedRevision} but is at revision {problem?.CurrentRevision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)"}.",
            409,
            problem,
            requestId,
            innerException)
    {
        StreamType = streamType;
        StreamId = streamId;
        ExpectedRevision = expectedRevision;
        ActualRevision = problem?.CurrentRevision;
    }

    /// <summary>Type of the stream appended to.</summary>
    public string? StreamType { get; }

    /// <summary>Id of the stream appended to.</summary>
    public Guid StreamId { get; }

    /// <summary>The revision the caller expected the stream to have (0: the stream was not to exist yet).</summary>
    public int ExpectedRevision { get; }

    /// <summary>The stream's revision when the append was rejected, as the server reported it; <see langword="null"/> if it did not.</summary>
    public int? ActualRevision { get; }
}
