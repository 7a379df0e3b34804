using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Generated;

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

    // The server's documented nesting limit for whole documents (payloads and metadata nest at most 32 levels, inside
    // envelopes of at most 4).
    private const int MaxDocumentDepth = EventStoreLimits.MaxDocumentDepth;

    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        // Optional members are left out of requests rather than sent as null, as the original API's clients do.
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        settings.MaxDepth = MaxDocumentDepth;
        // Payloads and metadata go out as they are held, not re-escaped (the server stores and returns their bytes).
        settings.Converters.Add(new RawJsonElementConverter());
        // Events, the bulk of every page, read without the metadata's boxed constructor arguments.
        settings.Converters.Add(new RecordedEventReader());
        // A page of 100 events (about 120 KB of 1 KB events) is read from the response in one piece, not in the default
        // 16 KB ones: at each piece's end the reader of an event that does not fit is run again once it does.
        settings.DefaultBufferSize = 128 * 1024;
        // The models' source-generated metadata, no reflection; read-only, so that the metadata of each type is made once.
        settings.TypeInfoResolver = EventStoreJson.TypeInfoResolver;
        settings.MakeReadOnly();
    }

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, StringBuilder urlBuilder) =>
        urlBuilder.Insert(0, _baseUrl);
}
