using Microsoft.AspNetCore.Authorization;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// The authorization of the contract's endpoints, registered only when authentication is on: the policy (an
/// authenticated caller, by any configured scheme) and what a refused request is told.
/// </summary>
internal sealed class EventStoreAuthorization
{
    public const string PolicyName = "EventStore";

    public EventStoreAuthorization(IReadOnlyList<string> schemes)
    {
        Schemes = schemes;
        string[] accepted =
        [
            .. schemes.Contains(ApiKeyAuthenticationHandler.SchemeName) ? ["an API key (Authorization: ApiKey <key>, or X-Api-Key: <key>)"] : Array.Empty<string>(),
            .. schemes.Contains(JwtBearerScheme) ? ["a bearer token (Authorization: Bearer <token>)"] : Array.Empty<string>(),
        ];
        Detail = $"This endpoint needs {string.Join(" or ", accepted)}; the request has none that is valid.";
    }

    /// <summary>The JwtBearer handler's scheme name (<c>JwtBearerDefaults.AuthenticationScheme</c>).</summary>
    public const string JwtBearerScheme = "Bearer";

    public IReadOnlyList<string> Schemes { get; }

    /// <summary>The detail of a 401.</summary>
    public string Detail { get; }

    public AuthorizationPolicy Policy() =>
        new AuthorizationPolicyBuilder([.. Schemes]).RequireAuthenticatedUser().Build();
}
