namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// Settings of the notification worker registered by
/// <see cref="EventStoreNotificationHandlerServiceCollectionExtensions.AddEventStoreNotificationHandler{THandler}(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{EventStoreNotificationHandlerOptions})"/>.
/// Checked against the SQS limits when the host starts; all violations are reported together in one
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
/// </summary>
public sealed class EventStoreNotificationHandlerOptions
{
    /// <summary>The URL of the queue to receive from. Required.</summary>
    public string? QueueUrl { get; set; }

    /// <summary>The most messages one receive asks for: 1 to 10 (the SQS limit), 10 by default.</summary>
    public int MaxMessagesPerReceive { get; set; } = StreamNotificationReceiver.MaxMessagesPerReceive;

    /// <summary>How long one receive waits for messages (long polling): 0 to 20 seconds, whole seconds; 20 by default.</summary>
    public TimeSpan WaitTime { get; set; } = StreamNotificationReceiver.MaxWaitTime;

    /// <summary>
    /// How long a received message stays hidden from other receives: 0 seconds to 12 hours, whole seconds; 30 seconds by
    /// default. While a handler runs, the worker extends it (see <see cref="ExtendVisibility"/>); a message whose handler
    /// failed is delivered again when it ends.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most handlers running at once: 1 or more, 10 by default.</summary>
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>
    /// Whether the worker keeps a message hidden while its handler runs longer than the visibility timeout, by setting
    /// its visibility timeout again every <see cref="VisibilityExtensionInterval"/>. On by default; needs a
    /// <see cref="VisibilityTimeout"/> of at least one second.
    /// </summary>
    public bool ExtendVisibility { get; set; } = true;

    /// <summary>
    /// How often a running handler's message has its visibility extended: more than zero and less than
    /// <see cref="VisibilityTimeout"/>; a third of <see cref="VisibilityTimeout"/> when not set.
    /// </summary>
    public TimeSpan? VisibilityExtensionInterval { get; set; }

    /// <summary>
    /// The SQS endpoint, for an emulator such as <c>http://localhost:4566</c>. Used only when the worker creates its own
    /// SQS client, i.e. when no <c>IAmazonSQS</c> is registered; region and credentials come from the AWS SDK's usual
    /// chain (environment, profile, instance role).
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    internal TimeSpan EffectiveExtensionInterval => VisibilityExtensionInterval ?? VisibilityTimeout / 3;
}
