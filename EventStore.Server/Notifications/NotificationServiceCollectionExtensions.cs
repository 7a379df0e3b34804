using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Registers the notification publisher (SNS, or the log). The relays that feed it belong to the stores: each store's
/// module registers its own (the embedded store's outbox, the DynamoDB store's DynamoDB stream).
/// </summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Name of the HTTP client that calls SNS (its handlers can be changed through <c>AddHttpClient(name)</c>).</summary>
    public const string SnsHttpClientName = "EventStore.Notifications.Sns";

    /// <summary>
    /// Binds and validates (at start-up) <see cref="NotificationOptions"/> from <c>EventStore:Notifications</c>, registers
    /// <see cref="INotificationPublisher"/> — SNS when <see cref="NotificationOptions.SnsTopicArn"/> is set, the log
    /// otherwise.
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

        // The topic is parsed once (its ARN was validated at start-up); only resolved when one is configured.
        services.TryAddSingleton(provider => SnsTopic.TryParse(provider.GetRequiredService<IOptions<NotificationOptions>>().Value.SnsTopicArn, out var topic)
            ? topic
            : throw new InvalidOperationException("EventStore:Notifications:SnsTopicArn is not set."));
        services.TryAddAwsCredentials();
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
        return services;
    }
}
