using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace ServerlessEventStore.Client.Aws.Signing;

/// <summary>
/// Signs an HTTP request with AWS Signature Version 4 through AWSSDK.Core's public <see cref="AWSSigV4Signer"/>: the one
/// SigV4 path of the client (Function URLs) and the server (SNS, DynamoDB Streams), shared as source. Signed: host,
/// method, path and query, <c>x-amz-date</c>, the session token of temporary credentials, the body's
/// <c>Content-Type</c>, every <c>X-Amz-*</c> header the caller set (e.g. <c>X-Amz-Target</c>), and the body's SHA-256
/// (<c>x-amz-content-sha256</c>, which Function URLs require and the other services accept). The body is buffered to
/// hash it.
/// </summary>
internal static class SigV4Request
{
    private static readonly string[] SigningHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Content-Sha256", "X-Amz-Security-Token"];

    public static async Task SignAsync(
        HttpRequestMessage request, AWSCredentials credentials, RegionEndpoint region, string service, CancellationToken cancellationToken)
    {
        // A retried request comes back with the previous attempt's signature; none of it may survive or be signed.
        foreach (var name in SigningHeaders)
        {
            request.Headers.Remove(name);
        }

        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri };
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)))
        {
            signing.Headers[header.Key] = string.Join(',', header.Value);
        }

        if (request.Content is { } content)
        {
            signing.Content = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (content.Headers.ContentType is { } contentType)
            {
                signing.Headers["Content-Type"] = contentType.ToString();
            }
        }

        var parameters = new AWSSigV4Parameters { Credentials = credentials, Region = region, Service = service, SignPayload = true };
        var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in signed.Headers)
        {
            // The content's own headers stay where HttpClient keeps them.
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }
}
