using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Client.Aws.Signing;
using ServerlessEventStore.Server.Health;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;
using ServerlessEventStore.Server.Telemetry;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The DynamoDB store as a module: its settings, the DynamoDB client, the store, and its change feed, the DynamoDB
/// Streams relay (unless <c>EventStore:Notifications:StreamRelay</c> is false, as in AWS, where the EventBridge Pipe
/// publishes).
/// </summary>
internal static class DynamoDbStorageModule
{
    /// <summary>Name of the HTTP client that reads DynamoDB Streams (its handlers can be changed through <c>AddHttpClient(name)</c>).</summary>
    public const string StreamsHttpClientName = "EventStore.Notifications.DynamoDbStreams";

    /// <summary>
    /// Registers the DynamoDB store (settings from <c>EventStore:DynamoDb</c>, validated at start-up) as the storage port,
    /// with its telemetry and its preparation at start-up; <see cref="IAmazonDynamoDB"/> is a registration of its own,
    /// so that it can be replaced or decorated (tests inject faults that way).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The server's configuration, which says whether this server relays the table's stream.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddDynamoDbEventStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DynamoDbStorageOptions>()
            .BindConfiguration(DynamoDbStorageOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamoDbStorageOptions>, DynamoDbStorageOptionsValidator>());
        services.TryAddAwsCredentials();
        services.TryAddSingleton<IAmazonDynamoDB>(provider => DynamoDbClientFactory.Create(
            provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value,
            provider.GetRequiredService<AwsCredentialSource>()));
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value;
            return new DynamoDbRetries(
                options.TableName!, options, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<DynamoDbEventStorage>>(), provider.GetRequiredService<ServerTelemetry>());
        });
        services.TryAddSingleton(provider => new DynamoDbEventStorage(
            provider.GetRequiredService<IAmazonDynamoDB>(),
            provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>(),
            provider.GetRequiredService<DynamoDbRetries>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DynamoDbEventStorage>>()));
        services.TryAddSingleton<IEventStorage>(provider => new InstrumentedEventStorage(
            provider.GetRequiredService<DynamoDbEventStorage>(), TelemetryTags.DynamoDb, provider.GetRequiredService<ServerTelemetry>()));
        services.AddHostedService<EventStorageInitializer>();
        services.AddReadinessCheck<DynamoDbReadinessCheck>("dynamodb");

        if (configuration.GetValue($"{NotificationOptions.SectionName}:{nameof(NotificationOptions.StreamRelay)}", defaultValue: true))
        {
            services.AddStreamRelay();
        }

        return services;
    }

    private static void AddStreamRelay(this IServiceCollection services)
    {
        services.AddHttpClient(StreamsHttpClientName)
            .ConfigureHttpClient((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.TryAddSingleton<IDynamoDbStreams>(provider => new DynamoDbStreamsClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(StreamsHttpClientName),
            provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value,
            provider.GetRequiredService<AwsCredentialSource>()));
        services.TryAddSingleton(provider => NotificationBatchPublisher.ForRelay(provider, TelemetryTags.DynamoDbStreamsRelay));
        services.AddHostedService<DynamoDbStreamsNotificationRelay>();
    }
}
