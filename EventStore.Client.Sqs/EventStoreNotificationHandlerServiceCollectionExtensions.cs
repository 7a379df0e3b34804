using System.Diagnostics.CodeAnalysis;
using ServerlessEventStore.Client.Sqs.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client.Sqs;

/// <summary>Registers a hosted worker that hands the stream notifications of an SQS queue to a handler.</summary>
public static class EventStoreNotificationHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> (scoped, unless already registered) and a hosted worker that receives
    /// the stream notifications of the queue in <see cref="EventStoreNotificationHandlerOptions.QueueUrl"/> and hands
    /// each to a <typeparamref name="THandler"/> resolved in a scope of its own.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The worker runs at most <see cref="EventStoreNotificationHandlerOptions.MaxConcurrency"/> handlers at once,
    /// acknowledges (deletes) a message only after <see cref="NotificationResult.Success()"/>, and leaves it for redelivery
    /// after <see cref="NotificationResult.Retry"/> or an exception, so that it reaches the queue's dead-letter queue after
    /// the queue's <c>maxReceiveCount</c>. A message that is not a stream notification is logged with its id and left
    /// there too; the worker goes on. A running handler's message is kept hidden by extending its visibility.
    /// </para>
    /// <para>
    /// The options are validated when the host starts: violations of the SQS limits fail start-up with one
    /// <see cref="OptionsValidationException"/> listing them all. The worker uses the <c>IAmazonSQS</c> registered in
    /// the container if there is one, and otherwise creates its own from the AWS SDK's region and credential chain and
    /// <see cref="EventStoreNotificationHandlerOptions.ServiceUrl"/>. A missing queue or denied access stops the host;
    /// other receive errors are retried with backoff. On shutdown running handlers may finish (and are acknowledged)
    /// until the host's shutdown timeout. Several handlers may be registered, each with its own queue.
    /// </para>
    /// <para>
    /// The worker waits (the backoff between failed receives, the interval of visibility extensions) on the
    /// <see cref="TimeProvider"/> registered in the container; <see cref="TimeProvider.System"/> is added if there is none.
    /// </para>
    /// </remarks>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see cref="EventStoreNotificationHandlerOptions.QueueUrl"/> is required.</param>
    /// <returns>The builder of the worker's options (named after <typeparamref name="THandler"/>), to configure them further.</returns>
    public static OptionsBuilder<EventStoreNotificationHandlerOptions> AddEventStoreNotificationHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IServiceCollection services,
        Action<EventStoreNotificationHandlerOptions> configure)
        where THandler : class, IEventStoreNotificationHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddEventStoreNotificationHandler<THandler>(options => options.Configure(configure));
    }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> and a hosted worker for it whose options are bound to
    /// <paramref name="configuration"/> (e.g. a section with <c>QueueUrl</c>, <c>MaxConcurrency</c>,
    /// <c>VisibilityTimeout</c> as <c>00:00:30</c>). See
    /// <see cref="AddEventStoreNotificationHandler{THandler}(IServiceCollection, Action{EventStoreNotificationHandlerOptions})"/>.
    /// </summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The builder of the worker's options (named after <typeparamref name="THandler"/>), to configure them further.</returns>
    public static OptionsBuilder<EventStoreNotificationHandlerOptions> AddEventStoreNotificationHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IServiceCollection services,
        IConfiguration configuration)
        where THandler : class, IEventStoreNotificationHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddEventStoreNotificationHandler<THandler>(options => options.Bind(configuration));
    }

    internal static string OptionsName<THandler>() => typeof(THandler).FullName ?? typeof(THandler).Name;

    private static OptionsBuilder<EventStoreNotificationHandlerOptions> AddEventStoreNotificationHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IServiceCollection services,
        Action<OptionsBuilder<EventStoreNotificationHandlerOptions>> configureOptions)
        where THandler : class, IEventStoreNotificationHandler
    {
        var options = services.AddOptions<EventStoreNotificationHandlerOptions>(OptionsName<THandler>());
        configureOptions(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventStoreNotificationHandlerOptions>, NotificationHandlerOptionsValidator>());
        services.TryAddScoped<THandler>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<NotificationWorker<THandler>>();
        return options;
    }
}
