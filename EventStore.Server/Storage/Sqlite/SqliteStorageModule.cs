using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Server.Health;
using ServerlessEventStore.Server.Hosting;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Server.Telemetry;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>The embedded store as a module: its settings, the store, and its change feed, the outbox relay.</summary>
internal static class SqliteStorageModule
{
    /// <summary>
    /// Registers the embedded SQLite store (settings from <c>EventStore:Sqlite</c>, validated at start-up) as the
    /// storage port, with its telemetry (also the number of writes each commit carries), its preparation at start-up,
    /// and the relay publishing its outbox.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddSqliteEventStorage(this IServiceCollection services)
    {
        services.AddOptions<SqliteStorageOptions>()
            .BindConfiguration(SqliteStorageOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            var telemetry = provider.GetRequiredService<ServerTelemetry>();
            return new SqliteEventStorage(
                provider.GetRequiredService<IOptions<SqliteStorageOptions>>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<SqliteEventStorage>>(),
                new SqliteWriterHooks { Committed = writes => telemetry.Committed(TelemetryTags.Sqlite, writes) });
        });
        services.TryAddSingleton<INotificationOutbox>(provider => provider.GetRequiredService<SqliteEventStorage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReleasesIdleMemory, SqliteEventStorage>(provider => provider.GetRequiredService<SqliteEventStorage>()));
        services.TryAddSingleton<IEventStorage>(provider => new InstrumentedEventStorage(
            provider.GetRequiredService<SqliteEventStorage>(), TelemetryTags.Sqlite, provider.GetRequiredService<ServerTelemetry>()));
        services.AddHostedService<EventStorageInitializer>();
        services.AddReadinessCheck<SqliteReadinessCheck>("sqlite");

        services.TryAddSingleton(provider => NotificationBatchPublisher.ForRelay(provider, TelemetryTags.OutboxRelay));
        services.AddHostedService<OutboxNotificationRelay>();
        return services;
    }
}
