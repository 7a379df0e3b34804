using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>Raw HTTP helpers: requests as JSON text, and the checks every error response must pass.</summary>
internal static class HttpAssertions
{
    public static string NewType() => $"t-{Guid.NewGuid():N}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string EventJson(string eventType = "something-happened", string payload = "{\"a\":1}", Guid? eventId = null) =>
        eventId is null
            ? $$"""{"eventType":"{{eventType}}","payload":{{payload}}}"""
            : $$"""{"eventId":"{{eventId}}","eventType":"{{eventType}}","payload":{{payload}}}""";

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Checks an error: the status, RFC 9457 problem details with the request id, and no internals.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        body.Should().NotContain("   at ", "no stack trace").And.NotContain("Exception").And.NotContain("System.")
            .And.NotContain("EventStore.").And.NotContain("Microsoft.");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)expected);
        var requestId = problem.GetProperty("requestId").GetString();
        requestId.Should().NotBeNullOrEmpty();
        response.Headers.GetValues("X-Request-Id").Should().ContainSingle().Which.Should().Be(requestId);
        return problem;
    }

    public static async Task<Guid> CreateStreamAsync(this HttpClient client, string type, int events = 1, Guid? streamId = null)
    {
        var id = streamId ?? Guid.NewGuid();
        var batch = string.Join(",", Enumerable.Range(0, events).Select(_ => EventJson(eventId: Guid.NewGuid())));
        using var response = await client.PutAsync(new Uri($"streams/{type}/{id}/events/1", UriKind.Relative), Json($$"""{"events":[{{batch}}]}"""));
        await response.ReadJsonAsync(HttpStatusCode.Created);
        return id;
    }

    public static async Task<int> GetRevisionAsync(this HttpClient client, string type, Guid id)
    {
        using var response = await client.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative));
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("stream").GetProperty("revision").GetInt32();
    }

    public static async Task<int> CountStreamsAsync(this HttpClient client, string type)
    {
        using var response = await client.GetAsync(new Uri($"streams/{type}", UriKind.Relative));
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamPage").GetProperty("streams").GetArrayLength();
    }

    public static HttpContent WithContentType(this HttpContent content, string mediaType)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }
}
