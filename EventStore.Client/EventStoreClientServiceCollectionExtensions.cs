using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventStore.Client;

/// <summary>Registers <see cref="EventStoreClient"/> with an <see cref="IServiceCollection"/>.</summary>
public static class EventStoreClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EventStoreClient"/> as a typed HTTP client configured by <paramref name="configure"/>.
    /// See <see cref="AddEventStoreClient(IServiceCollection, IConfiguration)"/> for what is registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see cref="EventStoreClientOptions.BaseAddress"/> is required.</param>
    /// <returns>The builder of the HTTP client, to add handlers or change the resilience settings.</returns>
    public static IHttpClientBuilder AddEventStoreClient(this IServiceCollection services, Action<EventStoreClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddEventStoreClient(options => options.Configure(configure));
    }

    /// <summary>
    /// Registers <see cref="EventStoreClient"/> as a typed HTTP client whose options are bound to
    /// <paramref name="configuration"/> (e.g. the section <c>EventStore</c> with <c>BaseAddress</c> and <c>PageSize</c>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The options are validated when the host starts (<c>ValidateOnStart</c>): a missing
    /// <see cref="EventStoreClientOptions.BaseAddress"/> or a page size outside 1 to 1000 fails start-up with an
    /// <see cref="OptionsValidationException"/>.
    /// </para>
    /// <para>
    /// The client gets the standard resilience handler of Microsoft.Extensions.Http.Resilience (retries with backoff
    /// honouring <c>Retry-After</c>, circuit breaker, timeouts). Retrying is safe because every write carries event ids
    /// and is idempotent. Change its settings with <c>Configure&lt;HttpStandardResilienceOptions&gt;</c>
    /// on the client's name (<c>nameof(EventStoreClient)</c>), or remove it with <c>RemoveAllResilienceHandlers()</c> on
    /// the returned builder (marked experimental in Microsoft.Extensions.Http.Resilience: suppress <c>EXTEXP0001</c>).
    /// </para>
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The builder of the HTTP client, to add handlers or change the resilience settings.</returns>
    public static IHttpClientBuilder AddEventStoreClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddEventStoreClient(options => options.Bind(configuration));
    }

    private static IHttpClientBuilder AddEventStoreClient(
        this IServiceCollection services,
        Action<OptionsBuilder<EventStoreClientOptions>> configureOptions)
    {
        var options = services.AddOptions<EventStoreClientOptions>();
        configureOptions(options);
        options
            .ValidateDataAnnotations()
            .Validate(o => o.BaseAddress is null || o.BaseAddress.IsAbsoluteUri, "EventStoreClientOptions.BaseAddress must be an absolute URI.")
            .ValidateOnStart();

        var builder = services
            .AddHttpClient(nameof(EventStoreClient))
            .ConfigureHttpClient((provider, httpClient) =>
                httpClient.BaseAddress = provider.GetRequiredService<IOptions<EventStoreClientOptions>>().Value.BaseAddress)
            .AddTypedClient((httpClient, provider) => new EventStoreClient(
                httpClient,
                provider.GetRequiredService<IOptions<EventStoreClientOptions>>().Value,
                provider.GetService<ILogger<EventStoreClient>>()));
        builder.AddStandardResilienceHandler();
        return builder;
    }
}
