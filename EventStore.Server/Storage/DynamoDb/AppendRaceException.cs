namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The stream header changed between a rejected append and the read that decides it: the append fits now. Retried as a
/// whole, like a transaction conflict; never leaves the store.
/// </summary>
internal sealed class AppendRaceException : Exception
{
    public AppendRaceException()
        : base("The stream header changed while the append was decided.")
    {
    }

    public AppendRaceException(string message)
        : base(message)
    {
    }

    public AppendRaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
