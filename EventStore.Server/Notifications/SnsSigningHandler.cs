using Amazon;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Signs each request of the SNS client with AWS Signature Version 4 for service <c>sns</c> in the topic's region, using
/// AWSSDK.Core's public signer. A handler of our own rather than the SDK's <c>SigV4SigningHandler</c>, which needs its
/// credentials up front and sets its own inner handler; this one resolves credentials on first use and fits
/// <c>IHttpClientFactory</c>'s pipeline.
/// </summary>
internal sealed class SnsSigningHandler(SnsCredentialSource credentials, IOptions<NotificationOptions> options) : DelegatingHandler
{
    public const string Service = "sns";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var topic = SnsTopic.TryParse(options.Value.SnsTopicArn, out var parsed)
            ? parsed
            : throw new InvalidOperationException("EventStore:Notifications:SnsTopicArn is not set.");
        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri,
            Content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false),
        };
        var parameters = new AWSSigV4Parameters
        {
            Credentials = await credentials.GetAsync(cancellationToken).ConfigureAwait(false),
            Region = RegionEndpoint.GetBySystemName(topic.Region),
            Service = Service,
        };
        var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
