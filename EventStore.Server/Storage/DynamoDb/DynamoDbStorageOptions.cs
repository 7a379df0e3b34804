namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Settings of the DynamoDB store (configuration section <c>EventStore:DynamoDb</c>), checked at start-up when
/// <c>EventStore:Storage</c> is <c>DynamoDb</c>. Region and credentials come from the AWS SDK's usual sources.
/// </summary>
public sealed class DynamoDbStorageOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:DynamoDb";

    /// <summary>The table, in the layout of the original service (required).</summary>
    public string? TableName { get; set; }

    /// <summary>Endpoint override, e.g. DynamoDB Local; the region's endpoint when unset.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Whether to create the table (with its index and stream) at start-up when it is missing; for local use.</summary>
    public bool CreateTable { get; set; }

    /// <summary>How many times a request failing for a retryable reason (throttling, conflicts, 5xx, network) is tried in all.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the first retry; it doubles with every further retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one request may take, so that an unreachable endpoint fails in seconds rather than hanging.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How old an event must be (by its time, on this server's clock) before a catch-up read delivers it: the time its
    /// append may take to commit and to show in the index <c>TypeIndex</c> (which DynamoDB updates asynchronously), plus
    /// how far the writers' clocks may lag. A read never moves a checkpoint past this high-water mark, so an event that
    /// becomes visible later than this after its time, or one stamped by a clock behind by more, is missed.
    /// </summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromSeconds(2);
}
