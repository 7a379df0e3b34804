using ServerlessEventStore.Server.Notifications.DynamoDbStreams;
using ServerlessEventStore.Server.Storage.DynamoDb;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Registers stream notifications: the publisher (SNS, or the log) and the relays — the embedded store's outbox, and the
/// DynamoDB store's DynamoDB stream; each is idle unless its store is the one configured.
/// </summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Name of the HTTP client that calls SNS (its handlers can be changed through <c>AddHttpClient(name)</c>).</summary>
    public const string SnsHttpClientName = "EventStore.Notifications.Sns";

    /// <summary>Name of the HTTP client that reads DynamoDB Streams (DynamoDB store only).</summary>
    public const string DynamoDbStreamsHttpClientName = "EventStore.Notifications.DynamoDbStreams";

    /// <summary>
    /// Binds and validates (at start-up) <see cref="NotificationOptions"/> from <c>EventStore:Notifications</c>, registers
    /// <see cref="INotificationPublisher"/> — SNS when <see cref="NotificationOptions.SnsTopicArn"/> is set, the log
    /// otherwise — and the hosted relays: of the embedded store's outbox, and of the DynamoDB store's DynamoDB stream
    /// (with its reader of the DynamoDB Streams API, a registration of its own so that it can be decorated).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddEventStoreNotifications(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());

        services.TryAddSingleton<SnsCredentialSource>();
        services.TryAddTransient<SnsSigningHandler>();
        services.AddHttpClient<SnsNotificationPublisher>(SnsHttpClientName)
            .ConfigureHttpClient((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<NotificationOptions>>().Value.PublishTimeout)
            // A redirect would bypass the signature (the transport follows it unsigned), so none is followed. The relay
            // keeps its client for the process's lifetime: pooled connections are renewed to follow DNS changes.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddHttpMessageHandler<SnsSigningHandler>();
        services.TryAddSingleton<LoggingNotificationPublisher>();
        services.TryAddSingleton<INotificationPublisher>(provider =>
            provider.GetRequiredService<IOptions<NotificationOptions>>().Value.SnsTopicArn is null
                ? provider.GetRequiredService<LoggingNotificationPublisher>()
                : provider.GetRequiredService<SnsNotificationPublisher>());
        services.AddHostedService<OutboxNotificationRelay>();

        services.AddHttpClient(DynamoDbStreamsHttpClientName)
            .ConfigureHttpClient((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.TryAddSingleton<IDynamoDbStreams>(provider => new DynamoDbStreamsClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(DynamoDbStreamsHttpClientName),
            provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value,
            provider.GetRequiredService<ILogger<DynamoDbStreamsClient>>()));
        services.AddHostedService<DynamoDbStreamsNotificationRelay>();
        return services;
    }
}
