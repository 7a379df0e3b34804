using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// Authenticates a request by an API key of <see cref="EventStoreAuthenticationOptions.ApiKeys"/>, sent as
/// <c>Authorization: ApiKey &lt;key&gt;</c> (what the client sends; HTTP clients drop it on a redirect) or as
/// <c>X-Api-Key: &lt;key&gt;</c>.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeySet keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string HeaderName = "X-Api-Key";

    private const string AuthorizationPrefix = SchemeName + " ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented() is not { Length: > 0 } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!keys.Contains(key))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, SchemeName);
        return Task.CompletedTask;
    }

    private string? Presented()
    {
        var authorization = Request.Headers.Authorization.ToString();
        return authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[AuthorizationPrefix.Length..].Trim()
            : Request.Headers[HeaderName].ToString().Trim();
    }
}
