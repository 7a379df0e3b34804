using System.Text.Json;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>Checks that a JSON object has exactly the given members: the wire shape, nothing more or less.</summary>
internal static class JsonShapeAssertions
{
    public static JsonElement ShouldHaveExactly(this JsonElement element, params string[] names)
    {
        element.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(names, element.ToString());
        return element;
    }
}
