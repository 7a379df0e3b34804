using Microsoft.Extensions.DependencyInjection;

namespace EventStore.Testing.Proxies;

/// <summary>Decorating a registered service, e.g. the server's <c>IAmazonDynamoDB</c> with a proxy.</summary>
public static class ServiceDecoration
{
    /// <summary>
    /// Replaces the last registration of <typeparamref name="TService"/> with one that wraps what the original makes.
    /// Fails if nothing is registered: a decorator that silently decorates nothing would prove nothing.
    /// </summary>
    /// <typeparam name="TService">The service type.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="decorate">Wraps the original instance.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        var original = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"No {typeof(TService).Name} is registered to decorate.");
        services.Remove(original);
        services.Add(new ServiceDescriptor(typeof(TService), provider => decorate(Make<TService>(original, provider)), original.Lifetime));
        return services;
    }

    private static TService Make<TService>(ServiceDescriptor original, IServiceProvider provider)
        where TService : class =>
        (TService)(original.ImplementationInstance
            ?? original.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, original.ImplementationType!));
}
