namespace ServerlessEventStore.Client.Aws.Signing;

/// <summary>
/// The transport below a signing handler: the handler at the end of its chain of inner handlers. It must not follow
/// redirects, since a redirected request takes the body and the <c>X-Amz-*</c> headers (the session token among them)
/// to wherever the <c>Location</c> points. Only the two transports of .NET can be looked into; any other is refused
/// unless the caller vouches for it, and then checked by where its response says the request went.
/// </summary>
internal static class SignedTransport
{
    /// <summary>The handler at the end of the chain that starts at <paramref name="handler"/>.</summary>
    public static HttpMessageHandler? Below(HttpMessageHandler? handler)
    {
        while (handler is DelegatingHandler { InnerHandler: { } inner })
        {
            handler = inner;
        }

        return handler;
    }

    /// <summary>Whether <paramref name="transport"/> is one of .NET's transports, whose redirect setting can be checked.</summary>
    public static bool IsKnown(HttpMessageHandler? transport) => transport is SocketsHttpHandler or HttpClientHandler;

    /// <summary>Whether <paramref name="transport"/> is a transport of .NET that follows redirects.</summary>
    public static bool FollowsRedirects(HttpMessageHandler? transport) => transport switch
    {
        SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
        HttpClientHandler client => client.AllowAutoRedirect,
        _ => false,
    };

    /// <summary>Makes <paramref name="transport"/>, if it is a transport of .NET, hand redirects back instead of following them.</summary>
    public static void StopFollowingRedirects(HttpMessageHandler? transport)
    {
        // Only where needed: the setters throw on a handler that has already sent, even to set the same value.
        switch (transport)
        {
            case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler { AllowAutoRedirect: true } client:
                client.AllowAutoRedirect = false;
                break;
        }
    }
}
