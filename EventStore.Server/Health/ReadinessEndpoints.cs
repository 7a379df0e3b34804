using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessEventStore.Server.Health;

/// <summary>
/// <c>/health/ready</c>: whether the server can serve requests now — its store reachable and usable with its
/// credentials, and the SNS topic when notifications go to one. 200 when every dependency is ready, 503 otherwise, with
/// one entry per dependency. Anonymous, like <c>/liveness-check</c> (which only says that the process is up).
/// </summary>
internal static class ReadinessEndpoints
{
    /// <summary>The path of the readiness answer.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>
    /// Registers the health check service (each dependency's module adds its check, tagged
    /// <see cref="DependencyCheck.ReadyTag"/>), the cached report and the log of failing dependencies at start-up.
    /// </summary>
    public static IServiceCollection AddEventStoreReadiness(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.TryAddSingleton<ReadinessReport>();
        services.AddHostedService<ReadinessStartupLog>();
        return services;
    }

    /// <summary>Adds a dependency's readiness check.</summary>
    public static IServiceCollection AddReadinessCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCheck>(this IServiceCollection services, string dependency)
        where TCheck : class, IHealthCheck
    {
        services.AddHealthChecks().AddCheck<TCheck>(dependency, tags: [DependencyCheck.ReadyTag], timeout: DependencyCheck.Timeout);
        return services;
    }

    public static IEndpointRouteBuilder MapEventStoreReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ReadyPath, async (ReadinessReport readiness, HttpContext httpContext) =>
            {
                var report = await readiness.GetAsync();
                httpContext.Response.Headers.CacheControl = "no-store";
                return Results.Json(
                    ReadinessAnswer.From(report),
                    ReadinessJsonContext.Default.ReadinessAnswer,
                    statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}
