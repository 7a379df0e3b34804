using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using ServerlessEventStore.Server.Api;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// Answers a request without valid credentials with 401 problem details, like the server's other problems, after every
/// scheme has added its <c>WWW-Authenticate</c> challenge; anything else as ASP.NET Core does.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(EventStoreAuthorization authorization) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Challenged)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        foreach (var scheme in policy.AuthenticationSchemes)
        {
            await context.ChallengeAsync(scheme);
        }

        await ProblemResult.Create(context, StatusCodes.Status401Unauthorized, "Unauthorized", authorization.Detail).ExecuteAsync(context);
    }
}
