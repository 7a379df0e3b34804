namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The store can't serve requests as it is configured — its table does not exist, say — and retrying won't change
/// that. The API answers 503 without Retry-After, saying what to fix.
/// </summary>
public sealed class StorageMisconfiguredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageMisconfiguredException()
        : base("The event storage is misconfigured.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and which setting fixes it.</param>
    public StorageMisconfiguredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong and which setting fixes it.</param>
    /// <param name="innerException">The store's own error.</param>
    public StorageMisconfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
