using ServerlessEventStore.Types;
using System.ComponentModel.DataAnnotations;

namespace ServerlessEventStore.Client;

/// <summary>Settings of an <see cref="EventStoreClient"/>.</summary>
public sealed class EventStoreClientOptions
{
    /// <summary>Smallest value of <see cref="PageSize"/>.</summary>
    public const int MinPageSize = EventStoreLimits.MinPageSize;

    /// <summary>Largest value of <see cref="PageSize"/>, the server's limit.</summary>
    public const int MaxPageSize = EventStoreLimits.MaxPageSize;

    /// <summary>
    /// Absolute address of the event store, e.g. <c>https://events.example.com/</c>. Required when the client is
    /// registered with <c>AddEventStoreClient</c>; when the client is constructed directly, the
    /// <see cref="HttpClient.BaseAddress"/> of its <see cref="HttpClient"/> is used if this is not set.
    /// </summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Number of streams or events fetched per request by the pageable reads, unless a page size hint is given:
    /// <see cref="MinPageSize"/> to <see cref="MaxPageSize"/>, 100 by default.
    /// </summary>
    [Range(MinPageSize, MaxPageSize)]
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// The API key of a self-hosted server whose <c>EventStore:Authentication:Mode</c> is <c>ApiKey</c>, sent with every
    /// request as <c>Authorization: ApiKey &lt;key&gt;</c>; not set by default. Applied by
    /// <see cref="EventStoreCredentialsHandler"/>, which <c>AddEventStoreClient</c> adds.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets a bearer token for a self-hosted server whose <c>EventStore:Authentication:Mode</c> is <c>JwtBearer</c>,
    /// called for every request (also for each retry), so it can hand out a cached token and renew it before it expires;
    /// sent as <c>Authorization: Bearer &lt;token&gt;</c>. Not set by default; set in code, it can't be bound from
    /// configuration. Takes precedence over <see cref="ApiKey"/>. Applied by <see cref="EventStoreCredentialsHandler"/>,
    /// which <c>AddEventStoreClient</c> adds.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? BearerTokenProvider { get; set; }

    /// <summary>Whether <paramref name="address"/> can be an event store's address: absolute, http or https.</summary>
    internal static bool IsHttpAddress(Uri address) =>
        address.IsAbsoluteUri && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);
}
