using Amazon;
using Amazon.Runtime;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Client.Aws;

/// <summary>
/// Signs every request with AWS Signature Version 4 for service <c>lambda</c>, payload hash included
/// (<c>x-amz-content-sha256</c>), so the event store can run behind a Lambda Function URL with <c>AWS_IAM</c> auth.
/// Uses AWSSDK.Core's public <c>AWSSigV4Signer</c>.
/// </summary>
/// <remarks>
/// <para>
/// With dependency injection, add it with <c>AddAwsSigV4Signing</c> on the builder that <c>AddEventStoreClient</c>
/// returns. Without, put it in front of the transport:
/// <c>new HttpClient(new AwsSigV4SigningHandler(options) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })</c>.
/// </para>
/// <para>
/// Each request is signed when it passes through, with the current time: a retry handler must sit outside (before)
/// this one, so that every attempt is signed afresh, and nothing inside (after) it may change the method, address,
/// body or signed headers.
/// </para>
/// <para>
/// A signed request is sent to the host it was signed for and to no other. The transport below it must not follow
/// redirects, which would take the body, the session token and the signature headers to wherever a <c>Location</c>
/// points: over a <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> with
/// <c>AllowAutoRedirect = true</c> (their default) it refuses with an <see cref="InvalidOperationException"/> before
/// sending anything, and so it does over any other transport, which it can't look into, unless
/// <see cref="AwsSigV4SigningOptions.AllowUnknownTransport"/> vouches for it; then a response to a request that ended
/// at another scheme, host or port fails with an <see cref="InvalidOperationException"/>.
/// </para>
/// <para>
/// Signed: the host, the method, path and query, the body's SHA-256, <c>x-amz-date</c>, the session token of temporary
/// credentials, and the <c>Content-Type</c> of a request with a body. The body is buffered to hash it, which the event
/// store's requests (at most 99 events) allow.
/// </para>
/// </remarks>
public sealed class AwsSigV4SigningHandler : DelegatingHandler
{
    private readonly RegionEndpoint _region;
    private readonly AwsCredentialSource _credentials;
    private readonly bool _allowUnknownTransport;

    /// <summary>Creates a handler signing with <paramref name="options"/>; set its inner handler before use.</summary>
    /// <param name="options">The region (required) and, optionally, the credentials to sign with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The region is missing or not an AWS region name.</exception>
    public AwsSigV4SigningHandler(AwsSigV4SigningOptions options)
        : this(ValidRegion(options), ForClient(options.Credentials), options.AllowUnknownTransport)
    {
    }

    internal AwsSigV4SigningHandler(RegionEndpoint region, AwsCredentialSource credentials, bool allowUnknownTransport)
    {
        _region = region;
        _credentials = credentials;
        _allowUnknownTransport = allowUnknownTransport;
    }

    /// <summary>Signs <paramref name="request"/> and passes it on to the inner handler.</summary>
    /// <param name="request">The request; its signing headers are replaced.</param>
    /// <param name="cancellationToken">Cancels the credential lookup and the request.</param>
    /// <returns>The response of the inner handler.</returns>
    /// <exception cref="InvalidOperationException">
    /// The transport below follows redirects (nothing was sent), or the request ended at another host than the one it was
    /// signed for.
    /// </exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transport = SignedTransport.Below(InnerHandler);
        if (!SignedTransport.IsKnown(transport) && !_allowUnknownTransport)
        {
            throw new InvalidOperationException(
                $"AwsSigV4SigningHandler sends signed requests over a SocketsHttpHandler or HttpClientHandler only, whose "
                + $"redirect setting it can check; {transport?.GetType().Name ?? "no handler"} may follow redirects to "
                + "another host. If it does not, set AwsSigV4SigningOptions.AllowUnknownTransport = true.");
        }

        if (SignedTransport.FollowsRedirects(transport))
        {
            throw new InvalidOperationException(
                "AwsSigV4SigningHandler does not send signed requests over a transport that follows redirects: a redirect "
                + "would take the body and the signature headers to another host. Set AllowAutoRedirect = false on the "
                + "SocketsHttpHandler or HttpClientHandler below it.");
        }

        var signedFor = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an address.");
        var credentials = await _credentials.GetAsync(signedFor, cancellationToken).ConfigureAwait(false);
        await SigV4Request.SignAsync(request, credentials, _region, AwsSigV4SigningOptions.Service, cancellationToken).ConfigureAwait(false);

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.RequestMessage?.RequestUri is { } sentTo && !SameOrigin(sentTo, signedFor))
        {
            response.Dispose();
            throw new InvalidOperationException(
                $"The request signed for {signedFor.GetLeftPart(UriPartial.Authority)} was sent on to "
                + $"{sentTo.GetLeftPart(UriPartial.Authority)}: the transport below AwsSigV4SigningHandler follows redirects. "
                + "Use one that does not.");
        }

        return response;
    }

    /// <summary>
    /// Not supported: requests are signed asynchronously only (<see cref="HttpClient.SendAsync(HttpRequestMessage)"/>),
    /// and a synchronous <see cref="HttpClient.Send(HttpRequestMessage)"/> must not go out unsigned.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("AwsSigV4SigningHandler signs asynchronously only: use HttpClient.SendAsync.");

    /// <summary>The credentials of a client: the configured ones, or the default chain's; a Function URL is AWS's, so no placeholder.</summary>
    internal static AwsCredentialSource ForClient(AWSCredentials? configured) => new(
        configured, allowPlaceholder: false, "set AwsSigV4SigningOptions.Credentials, or provide credentials to the AWS SDK's default chain (environment, profile, role).");

    private static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static RegionEndpoint ValidRegion(AwsSigV4SigningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate() is { } error
            ? throw new ArgumentException(error, nameof(options))
            : RegionEndpoint.GetBySystemName(options.Region);
    }
}
