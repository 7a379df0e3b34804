namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Settings of stream notifications (configuration section <c>EventStore:Notifications</c>). Without
/// <see cref="SnsTopicArn"/> notifications are only logged.
/// </summary>
public sealed class NotificationOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:Notifications";

    /// <summary>The standard SNS topic to publish to, e.g. <c>arn:aws:sns:eu-central-1:123456789012:event-store</c>.</summary>
    /// <remarks>Requests are signed for the topic's region, and go to that region's endpoint unless <see cref="SnsServiceUrl"/> is set.</remarks>
    public string? SnsTopicArn { get; set; }

    /// <summary>
    /// The SNS endpoint, e.g. a local emulator; by default <c>https://sns.{region}.amazonaws.com/</c> of the topic's region.
    /// For an endpoint outside AWS, placeholder credentials are used when the AWS SDK finds none.
    /// </summary>
    public Uri? SnsServiceUrl { get; set; }

    /// <summary>How often the outbox relay (embedded store) looks for pending notifications without being woken by an append (a safety net).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait after a failed publication; it doubles with each further failure.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between attempts while publishing fails.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one publication.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most pending notifications (outbox rows, or DynamoDB stream records) the relay reads at once.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Most publications in flight at once (notifications are unordered, so a batch is published concurrently).</summary>
    public int MaxConcurrentPublishes { get; set; } = 8;

    /// <summary>
    /// The DynamoDB store's relay: the file keeping, per shard of the table's DynamoDB stream, the last record published
    /// (relative paths are resolved against the working directory). When not set, a file of the user's local application
    /// data (<c>{LocalApplicationData}/serverless-event-store/checkpoints/{table}-{endpoint hash}.json</c>, e.g.
    /// <c>~/.local/share/…</c> on Linux; the temporary folder when the user has none): named after the table and the
    /// endpoint, so that a table of DynamoDB Local and one of AWS never share a checkpoint, and kept where the system does
    /// not clean it up, never in the working directory. Without a file, every shard is read from its oldest record.
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>The checkpoint file of the relay of <paramref name="tableName"/>: <see cref="CheckpointPath"/> or the default.</summary>
    /// <param name="tableName">The DynamoDB store's table.</param>
    /// <param name="serviceUrl">The DynamoDB endpoint override, if any (none: the region's endpoint, told by <paramref name="region"/>).</param>
    /// <param name="region">The region of the table.</param>
    /// <returns>The path.</returns>
    internal string CheckpointPathFor(string tableName, Uri? serviceUrl, string region)
    {
        if (CheckpointPath is not null)
        {
            return CheckpointPath;
        }

        var endpoint = serviceUrl?.GetLeftPart(UriPartial.Authority).ToLowerInvariant() ?? $"aws:{region}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(endpoint)))[..12];
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(
            string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "serverless-event-store", "checkpoints", $"{tableName}-{hash}.json");
    }

    /// <summary>
    /// Whether the DynamoDB store's relay runs in this server (the default, for local use). Set it to false where the
    /// table's stream is relayed by other means, as in AWS, where the EventBridge Pipe publishes the notifications.
    /// </summary>
    public bool StreamRelay { get; set; } = true;

    /// <summary>The DynamoDB store's relay: the pause before reading a shard again after it returned no records.</summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
