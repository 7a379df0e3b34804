using ServerlessEventStore.Client.Generated;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client;

/// <summary>
/// Registers <see cref="EventStoreClient"/> with an <see cref="IServiceCollection"/>: one client per event store, each
/// with an HTTP client, options and resilience settings of its own name.
/// </summary>
public static class EventStoreClientServiceCollectionExtensions
{
    /// <summary>
    /// The name of the client registered without one: of its HTTP client and its <see cref="EventStoreClientOptions"/>;
    /// its resilience options are named <c>DefaultName + "-standard"</c>
    /// (<c>Configure&lt;HttpStandardResilienceOptions&gt;("EventStoreClient-standard", …)</c>).
    /// </summary>
    public const string DefaultName = nameof(EventStoreClient);

    /// <summary>
    /// Registers <see cref="EventStoreClient"/> configured by <paramref name="configure"/>, resolved as
    /// <c>EventStoreClient</c>. See <see cref="AddEventStoreClient(IServiceCollection, string, IConfiguration)"/> for what
    /// is registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see cref="EventStoreClientOptions.BaseAddress"/> is required.</param>
    /// <returns>The builder of the HTTP client, to add handlers or change the resilience settings.</returns>
    public static IHttpClientBuilder AddEventStoreClient(this IServiceCollection services, Action<EventStoreClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddEventStoreClient(DefaultName, options => options.Configure(configure));
    }

    /// <summary>
    /// Registers <see cref="EventStoreClient"/> with its options bound to <paramref name="configuration"/> (e.g. the
    /// section <c>EventStore</c> with <c>BaseAddress</c> and <c>PageSize</c>), resolved as <c>EventStoreClient</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The builder of the HTTP client, to add handlers or change the resilience settings.</returns>
    public static IHttpClientBuilder AddEventStoreClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddEventStoreClient(DefaultName, options => options.Bind(configuration));
    }

    /// <summary>
    /// Registers an <see cref="EventStoreClient"/> named <paramref name="name"/>, configured by
    /// <paramref name="configure"/>, resolved as a keyed service:
    /// <c>[FromKeyedServices("orders")] EventStoreClient orders</c> or <c>GetRequiredKeyedService&lt;EventStoreClient&gt;("orders")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client's name: of its HTTP client, options and service key.</param>
    /// <param name="configure">Sets the options; <see cref="EventStoreClientOptions.BaseAddress"/> is required.</param>
    /// <returns>The builder of the HTTP client, to add handlers or change the resilience settings.</returns>
    public static IHttpClientBuilder AddEventStoreClient(this IServiceCollection services, string name, Action<EventStoreClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddEventStoreClient(name, options => options.Configure(configure));
    }

    /// <summary>
    /// Registers an <see cref="EventStoreClient"/> named <paramref name="name"/>, its options bound to
    /// <paramref name="configuration"/>, resolved as a keyed service (and, for <see cref="DefaultName"/>, also without a
    /// key).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The options are named <paramref name="name"/> and validated when the host starts (<c>ValidateOnStart</c>): a
    /// <see cref="EventStoreClientOptions.BaseAddress"/> that is missing or not an absolute http or https URI, or a page
    /// size outside 1 to 1000, fails start-up with an <see cref="OptionsValidationException"/>.
    /// </para>
    /// <para>
    /// The HTTP client <paramref name="name"/> gets the standard resilience handler of Microsoft.Extensions.Http.Resilience
    /// (retries with backoff honouring <c>Retry-After</c>, circuit breaker, timeouts). Retrying is safe because every
    /// write carries event ids and is idempotent. The server's 503 for a misconfigured store (problem <c>errorCode</c>
    /// <see cref="ServerlessEventStore.Types.EventStoreErrorCodes.StorageMisconfigured"/>, no <c>Retry-After</c>) is neither
    /// retried nor counted by the circuit breaker: it fails at once with an <see cref="EventStoreException"/> of that
    /// <see cref="EventStoreException.ErrorCode"/>. Change its settings with
    /// <c>Configure&lt;HttpStandardResilienceOptions&gt;($"{name}-standard", …)</c> (the handler's options are named after
    /// the client with <c>-standard</c>), or remove it with
    /// <c>RemoveAllResilienceHandlers()</c> on the returned builder (marked experimental: suppress <c>EXTEXP0001</c>).
    /// </para>
    /// <para>
    /// The credentials of the options (<see cref="EventStoreClientOptions.ApiKey"/>,
    /// <see cref="EventStoreClientOptions.BearerTokenProvider"/>) go with every request, added by an
    /// <see cref="EventStoreCredentialsHandler"/> inside the resilience handler. A 401 is not retried.
    /// </para>
    /// <para>
    /// The client is transient, like a typed HTTP client: resolve it where it is used (a request's scope, a handler's
    /// constructor), and the factory renews the connections under it. One that lives for the whole process keeps its
    /// connections, and misses DNS changes.
    /// </para>
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client's name: of its HTTP client, options and service key.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The builder of the HTTP client, to add handlers or change the resilience settings.</returns>
    public static IHttpClientBuilder AddEventStoreClient(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddEventStoreClient(name, options => options.Bind(configuration));
    }

    private static IHttpClientBuilder AddEventStoreClient(
        this IServiceCollection services,
        string name,
        Action<OptionsBuilder<EventStoreClientOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = services.AddOptions<EventStoreClientOptions>(name);
        configureOptions(options);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventStoreClientOptions>, EventStoreClientOptionsValidator>());
        options
            .Validate(
                o => o.BaseAddress is null || EventStoreClientOptions.IsHttpAddress(o.BaseAddress),
                $"EventStoreClientOptions.BaseAddress of the event store client '{name}' must be an absolute http or https URI, e.g. http://localhost:5080/.")
            .ValidateOnStart();

        var builder = services
            .AddHttpClient(name)
            .ConfigureHttpClient((provider, httpClient) =>
                httpClient.BaseAddress = provider.GetRequiredService<IOptionsMonitor<EventStoreClientOptions>>().Get(name).BaseAddress);
        builder.AddStandardResilienceHandler(resilience =>
        {
            // A misconfigured server answers 503 until someone fixes it: not retried, and not counted against the circuit.
            resilience.Retry.ShouldHandle = args => MisconfiguredAnswer.IsTransientAsync(args.Outcome);
            resilience.CircuitBreaker.ShouldHandle = args => MisconfiguredAnswer.IsTransientAsync(args.Outcome);
        });
        // Inside the resilience handler: every attempt gets its own bearer token.
        builder.AddHttpMessageHandler(provider =>
            new EventStoreCredentialsHandler(provider.GetRequiredService<IOptionsMonitor<EventStoreClientOptions>>().Get(name)));
        services.AddKeyedTransient(name, (provider, _) => Create(provider, name));
        if (name == DefaultName)
        {
            services.AddTransient(provider => Create(provider, name));
        }

        return builder;
    }

    private static EventStoreClient Create(IServiceProvider provider, string name) => new(
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(name),
        provider.GetRequiredService<IOptionsMonitor<EventStoreClientOptions>>().Get(name),
        provider.GetService<ILogger<EventStoreClient>>());
}
