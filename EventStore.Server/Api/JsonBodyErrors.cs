using ServerlessEventStore.Types;
using System.Text.Json;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// Says what is wrong with a body that could not be read as JSON, naming the limit where one was passed. The
/// serializer's own messages are not shown (they name .NET types): this turns its exception into the message of the
/// field it happened at (<see cref="JsonException.Path"/>).
/// </summary>
internal static class JsonBodyErrors
{
    public const string EmptyBody = "A non-empty request body is required.";

    public static string Describe(JsonException exception) =>
        exception.Message switch
        {
            { } message when message.Contains("depth", StringComparison.OrdinalIgnoreCase) =>
                $"The body is nested deeper than {EventStoreLimits.MaxDocumentDepth} levels of arrays and objects (a payload or metadata may nest {EventStoreLimits.MaxJsonDepth}).",
            { } message when message.Contains("Duplicate propert", StringComparison.Ordinal) =>
                "A member is given more than once in one object; give each member once.",
            _ => "The body is not valid JSON here, or a value has another JSON type than the API takes.",
        };
}
