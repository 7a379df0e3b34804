using System.Net.Http.Headers;

namespace ServerlessEventStore.Client;

/// <summary>
/// Adds the credentials of <see cref="EventStoreClientOptions"/> to every request: a bearer token from
/// <see cref="EventStoreClientOptions.BearerTokenProvider"/>, else the <see cref="EventStoreClientOptions.ApiKey"/>, in
/// the <c>Authorization</c> header (which HTTP clients drop when they follow a redirect). A request that already has
/// an <c>Authorization</c> header keeps it, and without credentials in the options requests pass unchanged.
/// </summary>
/// <remarks>
/// <c>AddEventStoreClient</c> adds it inside the standard resilience handler, so that every attempt gets a token of its
/// own. Without dependency injection, put it in front of the transport:
/// <c>new HttpClient(new EventStoreCredentialsHandler(options) { InnerHandler = new SocketsHttpHandler() })</c>.
/// A server that refuses the credentials answers 401, which the client throws as an <see cref="EventStoreException"/>
/// with that status; the resilience handler does not retry it.
/// </remarks>
public sealed class EventStoreCredentialsHandler : DelegatingHandler
{
    private const string ApiKeyScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    private readonly string? _apiKey;
    private readonly Func<CancellationToken, ValueTask<string>>? _bearerTokenProvider;

    /// <summary>Creates a handler adding the credentials of <paramref name="options"/>; set its inner handler before use.</summary>
    /// <param name="options">The client's options: its <see cref="EventStoreClientOptions.ApiKey"/> and <see cref="EventStoreClientOptions.BearerTokenProvider"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public EventStoreCredentialsHandler(EventStoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _apiKey = string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey.Trim();
        _bearerTokenProvider = options.BearerTokenProvider;
    }

    /// <summary>Adds the credentials to <paramref name="request"/> and passes it on to the inner handler.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels getting the token and the request.</param>
    /// <returns>The response of the inner handler.</returns>
    /// <exception cref="InvalidOperationException">The bearer token provider returned no token.</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization is null)
        {
            if (_bearerTokenProvider is not null)
            {
                var token = await _bearerTokenProvider(cancellationToken).ConfigureAwait(false);
                request.Headers.Authorization = string.IsNullOrWhiteSpace(token)
                    ? throw new InvalidOperationException("EventStoreClientOptions.BearerTokenProvider returned no token.")
                    : new AuthenticationHeaderValue(BearerScheme, token);
            }
            else if (_apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue(ApiKeyScheme, _apiKey);
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
