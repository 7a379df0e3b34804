using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// An answer of the API with problem details (<c>application/problem+json; charset=utf-8</c>): the status's type (and
/// title, if none is given) as ASP.NET Core sets them, the trace id, the members every problem of the server carries
/// (<see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>: the request id), then those of this problem.
/// </summary>
/// <param name="problem">The problem: status, title, detail, instance, or the validation errors.</param>
/// <param name="extensions">Members of this problem, e.g. <c>currentRevision</c>.</param>
internal sealed class ProblemResult(ProblemDetails problem, params KeyValuePair<string, object?>[] extensions) : IResult
{
    private const string ContentType = "application/problem+json; charset=utf-8";

    /// <summary>A problem of this request (its path is the problem's instance).</summary>
    public static ProblemResult Create(HttpContext httpContext, int status, string title, string detail, int? currentRevision = null) =>
        new(
            TypedResults.Problem(detail, httpContext.Request.Path, status, title).ProblemDetails,
            currentRevision is { } revision ? [new("currentRevision", revision)] : []);

    /// <summary>A 415 for a body that is not JSON at all, with the status's own title and nothing more.</summary>
    public static ProblemResult UnsupportedMediaType() => new(TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType).ProblemDetails);

    /// <summary>The 400 listing what is wrong with each field.</summary>
    public static ProblemResult Validation(ValidationErrors errors) => new(TypedResults.ValidationProblem(errors.ToDictionary()).ProblemDetails);

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        var services = httpContext.RequestServices;
        services.GetRequiredService<IOptions<ProblemDetailsOptions>>().Value.CustomizeProblemDetails?.Invoke(
            new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
        foreach (var (name, value) in extensions)
        {
            problem.Extensions[name] = value;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        await httpContext.Response.WriteAsJsonAsync(problem, json.GetTypeInfo(problem.GetType()), ContentType, httpContext.RequestAborted);
    }
}
