using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// One request to an operation of the contract. The route layer generated from the contract
/// (<c>Generated/EventStore.Server.g.cs</c>) binds each parameter through it, the way this API reads values: numbers and
/// stream ids in one spelling (<see cref="ExactValues"/>), each given at most once, a JSON body only as UTF-8 JSON. What
/// is wrong is collected in <see cref="Errors"/>, where the implementation adds its own findings, so that a request gets
/// one 400 naming every field at fault. A body that is not JSON is a 415 instead, before any other problem.
/// </summary>
/// <param name="httpContext">The request's context.</param>
internal sealed class ApiRequest(HttpContext httpContext)
{
    private readonly string? _foreignCharset = JsonMediaType.ForeignCharset(httpContext.Request.ContentType);
    private bool _unsupportedMediaType;

    /// <summary>The request's context.</summary>
    public HttpContext HttpContext => httpContext;

    /// <summary>The query string, for rules that look at it as given (e.g. how often a value is given).</summary>
    public IQueryCollection Query => httpContext.Request.Query;

    /// <summary>The invalid fields found so far.</summary>
    public ValidationErrors Errors { get; } = new();

    /// <summary>A path segment as text.</summary>
    public void FromPath(string name, ref string value) => value = httpContext.Request.RouteValues[name] as string ?? string.Empty;

    /// <summary>A number in the path (<see cref="ExactValues.TryParseNumber"/>).</summary>
    public void FromPath(string name, ref int value) => Bind(name, PathValue(name), ref value, ExactValues.TryParseNumber, ExactValues.NumberError);

    /// <summary>A stream id in the path (<see cref="ExactValues.TryParseStreamId"/>).</summary>
    public void FromPath(string name, ref Guid value) => Bind(name, PathValue(name), ref value, ExactValues.TryParseStreamId, ExactValues.StreamIdError);

    /// <summary>A number in the query; left as it is when absent.</summary>
    public void FromQuery(string name, ref int value) => Bind(name, Query[name], ref value, ExactValues.TryParseNumber, ExactValues.NumberError);

    /// <summary>A number in the query; left as it is when absent.</summary>
    public void FromQuery(string name, ref int? value)
    {
        var number = value ?? 0;
        if (Bind(name, Query[name], ref number, ExactValues.TryParseNumber, ExactValues.NumberError))
        {
            value = number;
        }
    }

    /// <summary>A value of one of the contract's enumerations in the query, spelled as the contract does; left as it is when absent.</summary>
    public void FromQuery<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(string name, ref TEnum? value)
        where TEnum : struct, Enum
    {
        var parsed = value ?? default;
        if (Bind(name, Query[name], ref parsed, ExactValues.TryParseContractValue, ExactValues.ContractValueError<TEnum>))
        {
            value = parsed;
        }
    }

    /// <summary>Text in the query: the first value given, none for white space; left as it is when absent.</summary>
    public void FromQuery(string name, ref string? value)
    {
        var values = Query[name];
        if (values.Count > 0)
        {
            value = string.IsNullOrWhiteSpace(values[0]) ? null : values[0];
        }
    }

    /// <summary>A time in the query (any form .NET reads in the invariant culture): the first value given, none for white space; left as it is when absent.</summary>
    public void FromQuery(string name, ref DateTimeOffset? value)
    {
        var values = Query[name];
        if (values.Count == 0)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(values[0]))
        {
            value = null;
        }
        else if (DateTimeOffset.TryParse(values[0]!.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            value = time;
        }
        else
        {
            Errors.Add(name, $"The value '{values}' is not valid.");
        }
    }

    /// <summary>
    /// The JSON body: <see langword="null"/> when it is not JSON in UTF-8 (a 415), empty or <c>null</c>, or can't be read
    /// as <typeparamref name="T"/> (errors then).
    /// </summary>
    public async Task<T?> FromBodyAsync<T>()
        where T : class
    {
        var request = httpContext.Request;
        if (_foreignCharset is not null)
        {
            return null;
        }

        if (!JsonMediaType.IsJson(request.ContentType))
        {
            _unsupportedMediaType = true;
            return null;
        }

        var canHaveBody = httpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength != 0;
        if (!canHaveBody)
        {
            Errors.Add(string.Empty, JsonBodyErrors.EmptyBody);
            return null;
        }

        if (!JsonMediaType.IsUtf8(request.ContentType))
        {
            _unsupportedMediaType = true;
            return null;
        }

        try
        {
            var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var body = (T?)await JsonSerializer.DeserializeAsync(request.BodyReader, json.GetTypeInfo(typeof(T)), httpContext.RequestAborted);
            if (body is null)
            {
                Errors.Add(string.Empty, JsonBodyErrors.EmptyBody);
            }

            return body;
        }
        catch (JsonException exception)
        {
            Errors.Add(exception.Path ?? string.Empty, JsonBodyErrors.Describe(exception));
            return null;
        }
    }

    /// <summary>
    /// Answers the request when binding found it at fault: 415 for a body that is not UTF-8 JSON, else 400 with every
    /// invalid field.
    /// </summary>
    /// <returns><see langword="true"/> when it was answered (the operation is not called).</returns>
    public async Task<bool> AnsweredAsync()
    {
        if (_foreignCharset is not null)
        {
            await ProblemResult.Create(
                httpContext,
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported Media Type",
                $"The body must be JSON in UTF-8, not '{ExactValues.Echo(_foreignCharset)}'.").ExecuteAsync(httpContext);
            return true;
        }

        var answer = _unsupportedMediaType ? ProblemResult.UnsupportedMediaType() : Errors.IsValid ? null : ValidationProblem();
        if (answer is null)
        {
            return false;
        }

        await answer.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The 400 naming every invalid field.</summary>
    public ProblemResult ValidationProblem() => ProblemResult.Validation(Errors);

    /// <summary>A problem of this request (its path is the instance), with the stream's revision for a conflict.</summary>
    public ProblemResult Problem(int status, string title, string detail, int? currentRevision = null) =>
        ProblemResult.Create(httpContext, status, title, detail, currentRevision);

    private string? PathValue(string name) => httpContext.Request.RouteValues[name] as string;

    private delegate bool Parser<T>(string? text, out T value);

    /// <summary>Parses a value given at most once; a value given twice or in another spelling is an error.</summary>
    /// <returns>Whether a value was given and parsed.</returns>
    private bool Bind<T>(string name, Microsoft.Extensions.Primitives.StringValues values, ref T value, Parser<T> parse, Func<string?, string> error)
    {
        if (values.Count == 0)
        {
            return false;
        }

        if (values.Count > 1)
        {
            // Which one would count is a guess: none does.
            Errors.Add(name, $"'{name}' is given {values.Count} times; give it once.");
            return false;
        }

        if (!parse(values[0], out var parsed))
        {
            Errors.Add(name, error(values[0]));
            return false;
        }

        value = parsed;
        return true;
    }
}
