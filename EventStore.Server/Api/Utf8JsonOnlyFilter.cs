using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// Answers 415 to a body declared in a charset other than UTF-8: JSON between systems is UTF-8 (RFC 8259), and a body
/// declared otherwise would only fail to decode further on.
/// </summary>
internal sealed class Utf8JsonOnlyFilter(ProblemDetailsFactory problems) : IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var contentType = context.HttpContext.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return;
        }

        // A parameter value may be quoted (RFC 9110): charset="utf-8" is UTF-8 too.
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value;
        if (charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var problem = problems.CreateProblemDetails(
            context.HttpContext,
            StatusCodes.Status415UnsupportedMediaType,
            "Unsupported Media Type",
            detail: $"The body must be JSON in UTF-8, not '{ExactValues.Echo(charset)}'.",
            instance: context.HttpContext.Request.Path);
        context.Result = new ObjectResult(problem) { StatusCode = StatusCodes.Status415UnsupportedMediaType };
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
