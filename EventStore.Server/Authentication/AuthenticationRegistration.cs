using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// Authentication when self-hosted (<see cref="EventStoreAuthenticationOptions"/>): the settings, validated at start-up,
/// the configured schemes, and the policy on the contract's endpoints except the liveness check. With mode <c>None</c>
/// only the settings are registered, and the pipeline is as without this feature.
/// </summary>
internal static class AuthenticationRegistration
{
    /// <summary>The contract's endpoint that stays anonymous: the Lambda Web Adapter and load balancers poll it.</summary>
    private const string LivenessCheckPath = "liveness-check";

    public static WebApplicationBuilder AddEventStoreAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EventStoreAuthenticationOptions>().BindConfiguration(EventStoreAuthenticationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventStoreAuthenticationOptions>, EventStoreAuthenticationOptionsValidator>());
        var settings = builder.Configuration.GetSection(EventStoreAuthenticationOptions.SectionName).Get<EventStoreAuthenticationOptions>()
            ?? new EventStoreAuthenticationOptions();
        if (!settings.IsEnabled)
        {
            return builder;
        }

        var authentication = services.AddAuthentication();
        var schemes = new List<string>();
        if (settings.UsesApiKeys)
        {
            services.AddSingleton<ApiKeySet>();
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
            schemes.Add(ApiKeyAuthenticationHandler.SchemeName);
        }

        if (settings.UsesJwtBearer)
        {
            authentication.AddJwtBearer(EventStoreAuthorization.JwtBearerScheme);
            services.AddOptions<JwtBearerOptions>(EventStoreAuthorization.JwtBearerScheme)
                .Configure<IOptions<EventStoreAuthenticationOptions>>((jwt, options) => Configure(jwt, options.Value.JwtBearer));
            schemes.Add(EventStoreAuthorization.JwtBearerScheme);
        }

        var authorization = new EventStoreAuthorization(schemes);
        services.AddSingleton(authorization);
        services.AddAuthorizationBuilder().AddPolicy(EventStoreAuthorization.PolicyName, authorization.Policy());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>Authenticates and authorizes requests, when authentication is on; before request bodies are received.</summary>
    public static WebApplication UseEventStoreAuthentication(this WebApplication app)
    {
        if (app.Services.GetService<EventStoreAuthorization>() is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        return app;
    }

    /// <summary>Requires the policy on the endpoints of <paramref name="contract"/>, but the liveness check, when authentication is on.</summary>
    public static RouteGroupBuilder RequireEventStoreAuthorization(this RouteGroupBuilder contract, IServiceProvider services)
    {
        if (services.GetService<EventStoreAuthorization>() is null)
        {
            return contract;
        }

        contract.RequireAuthorization(EventStoreAuthorization.PolicyName);
        ((IEndpointConventionBuilder)contract).Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && string.Equals(route.RoutePattern.RawText?.Trim('/'), LivenessCheckPath, StringComparison.Ordinal))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        return contract;
    }

    private static void Configure(JwtBearerOptions jwt, JwtBearerSettings settings)
    {
        // The token's claims as issued (sub, scope), not renamed to the WS-Federation URIs.
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        jwt.Audience = settings.Audience;
        var validation = jwt.TokenValidationParameters;
        validation.ValidAudience = settings.Audience;
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            jwt.Authority = settings.Authority;
        }

        if (!string.IsNullOrWhiteSpace(settings.Issuer))
        {
            validation.ValidIssuer = settings.Issuer;
        }

        if (settings.SigningKeyBytes() is { } key)
        {
            validation.IssuerSigningKey = new SymmetricSecurityKey(key);
        }
    }
}
