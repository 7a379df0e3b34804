namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The events of an append are too large for the store (an item or a transaction over the store's size limit). The
/// shared limits of <see cref="Types.EventStoreLimits"/> are checked before a store is called and should keep this from
/// happening; an adapter throws it as a last line of defence, and the API answers 413.
/// </summary>
public sealed class StorageLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageLimitExceededException()
        : base("The events are too large to store.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which limit was exceeded.</param>
    public StorageLimitExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which limit was exceeded.</param>
    /// <param name="innerException">The store's own error.</param>
    public StorageLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
