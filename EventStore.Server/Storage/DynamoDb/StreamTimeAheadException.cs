namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// An append fits the stream but for its time: the stream's last append is stamped at or after it (that writer's clock
/// runs ahead of this one's). The append is made again, stamped just after <see cref="UpdatedAt"/>; never leaves the store.
/// </summary>
internal sealed class StreamTimeAheadException : Exception
{
    public StreamTimeAheadException()
        : base("The stream's last append is stamped at or after this one.")
    {
    }

    public StreamTimeAheadException(string message)
        : base(message)
    {
    }

    public StreamTimeAheadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StreamTimeAheadException(DateTimeOffset updatedAt)
        : this()
    {
        UpdatedAt = updatedAt;
    }

    /// <summary>When the stream was last appended to, as its header says.</summary>
    public DateTimeOffset UpdatedAt { get; }
}
