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

    /// <summary>Whether <paramref name="address"/> can be an event store's address: absolute, http or https.</summary>
    internal static bool IsHttpAddress(Uri address) =>
        address.IsAbsoluteUri && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);
}
