using Microsoft.Extensions.Http;

namespace ServerlessEventStore.Client.Aws.Signing;

/// <summary>
/// Stops the primary handler of every HTTP client that signs (has an <see cref="AwsSigV4SigningHandler"/>) from
/// following redirects. A filter wraps all of a client's builder actions, so this runs after every one of them: a
/// <c>ConfigurePrimaryHttpMessageHandler</c> called after <c>AddAwsSigV4Signing</c> cannot bring redirects back.
/// </summary>
internal sealed class SigningTransportFilter : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.AdditionalHandlers.Any(handler => handler is AwsSigV4SigningHandler))
        {
            SignedTransport.StopFollowingRedirects(SignedTransport.Below(builder.PrimaryHandler));
        }
    };
}
