using ServerlessEventStore.Types;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// Says what is wrong with a body that could not be read as JSON, naming the limit where one was passed. The
/// serializer's own messages are not shown (they name .NET types); its exception is kept with the error, and this turns
/// it into the message of the field it happened at.
/// </summary>
internal static class JsonBodyErrors
{
    public static void Describe(ModelStateDictionary modelState)
    {
        foreach (var (_, entry) in modelState)
        {
            for (var i = 0; i < entry.Errors.Count; i++)
            {
                if (entry.Errors[i].Exception is JsonException json)
                {
                    entry.Errors[i] = new ModelError(Describe(json));
                }
            }
        }
    }

    private static string Describe(JsonException exception) =>
        exception.Message switch
        {
            { } message when message.Contains("depth", StringComparison.OrdinalIgnoreCase) =>
                $"The body is nested deeper than {EventStoreLimits.MaxDocumentDepth} levels of arrays and objects (a payload or metadata may nest {EventStoreLimits.MaxJsonDepth}).",
            { } message when message.Contains("Duplicate propert", StringComparison.Ordinal) =>
                "A member is given more than once in one object; give each member once.",
            _ => "The body is not valid JSON here, or a value has another JSON type than the API takes.",
        };
}
