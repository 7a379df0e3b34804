using Amazon;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Signs each request of the SNS client with AWS Signature Version 4 for service <c>sns</c> in the topic's region, by
/// the one SigV4 path of the product (<see cref="SigV4Request"/>), with the server's one credential source.
/// </summary>
internal sealed class SnsSigningHandler(AwsCredentialSource credentials, SnsTopic topic) : DelegatingHandler
{
    public const string Service = "sns";

    private readonly RegionEndpoint _region = RegionEndpoint.GetBySystemName(topic.Region);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var endpoint = request.RequestUri ?? throw new InvalidOperationException("An SNS request needs an address.");
        await SigV4Request.SignAsync(request, await credentials.GetAsync(endpoint, cancellationToken), _region, Service, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
