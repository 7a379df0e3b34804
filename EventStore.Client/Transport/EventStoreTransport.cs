using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Client.Generated;

internal partial class EventStoreTransport
{
    // Absolute base of every request, always ending with '/', so that the HttpClient's own BaseAddress (which the
    // caller may have set without a trailing slash, or not at all) never decides where requests go.
    private readonly string _baseUrl = string.Empty;

    public EventStoreTransport(HttpClient httpClient, Uri baseAddress)
        : this(httpClient)
    {
        var baseUrl = baseAddress.AbsoluteUri;
        _baseUrl = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
    }

    // Optional members are left out of requests rather than sent as null, as the original API's clients do.
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, StringBuilder urlBuilder) =>
        urlBuilder.Insert(0, _baseUrl);
}
