using Amazon.DynamoDBv2;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.DynamoDb;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Registers the store selected by <c>EventStore:Storage</c>, with every store's settings validated at start-up. Only the
/// selected store is created; <see cref="IAmazonDynamoDB"/> is a registration of its own so that it can be replaced or
/// decorated (tests inject faults that way).
/// </summary>
internal static class EventStorageRegistration
{
    public static IServiceCollection AddEventStorage(this IServiceCollection services)
    {
        services.AddOptions<EventStoreServerOptions>()
            .BindConfiguration(EventStoreServerOptions.SectionName)
            .Validate(
                options => options.IsSqlite || options.IsDynamoDb,
                $"EventStore:Storage must be '{EventStoreServerOptions.SqliteStorage}' (the embedded store) or '{EventStoreServerOptions.DynamoDbStorage}'.")
            .ValidateOnStart();
        services.AddOptions<SqliteStorageOptions>()
            .BindConfiguration(SqliteStorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DynamoDbStorageOptions>()
            .BindConfiguration(DynamoDbStorageOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamoDbStorageOptions>, DynamoDbStorageOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ServerTelemetry>();
        services.TryAddSingleton(provider => new SqliteEventStorage(
            provider.GetRequiredService<IOptions<SqliteStorageOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ServerTelemetry>()));
        services.TryAddSingleton<IAmazonDynamoDB>(provider => DynamoDbClientFactory.Create(
            provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value,
            provider.GetRequiredService<ILogger<DynamoDbEventStorage>>()));
        services.TryAddSingleton(provider => new DynamoDbEventStorage(
            provider.GetRequiredService<IAmazonDynamoDB>(),
            provider.GetRequiredService<IOptions<DynamoDbStorageOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DynamoDbEventStorage>>(),
            provider.GetRequiredService<ServerTelemetry>()));
        services.TryAddSingleton<IEventStorage>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EventStoreServerOptions>>().Value;
            return options.IsDynamoDb
                ? provider.GetRequiredService<DynamoDbEventStorage>()
                : provider.GetRequiredService<SqliteEventStorage>();
        });
        services.AddHostedService<EventStorageInitializer>();
        return services;
    }
}
