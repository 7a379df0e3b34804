using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace ServerlessEventStore.Client.Aws.Signing;

/// <summary>
/// The credentials requests are signed with: the configured ones, or the AWS SDK's default chain looked up on first use
/// and kept (the kept object is the SDK's own, so temporary credentials refresh themselves). A failed lookup is not
/// kept: the next request looks again. When the chain finds none, a request to an endpoint outside AWS (an emulator,
/// DynamoDB Local) is signed with placeholder credentials, which such endpoints accept; one to AWS fails. Shared as
/// source by the client and the server: one rule for every signed call.
/// </summary>
/// <param name="configured">Credentials to use instead of the default chain, if any.</param>
/// <param name="missingHint">What the error of a failed lookup tells the caller to set.</param>
/// <param name="onPlaceholder">Told the endpoint and why, the first time placeholder credentials are used for it.</param>
internal sealed class AwsCredentialSource(AWSCredentials? configured, string missingHint, Action<Uri, string>? onPlaceholder = null)
{
    private static readonly BasicAWSCredentials Placeholder = new("local", "local");
    private readonly HashSet<string> _placeholderEndpoints = new(StringComparer.OrdinalIgnoreCase);
    private Task<AWSCredentials>? _lookup = configured is null ? null : Task.FromResult(configured);

    /// <summary>Whether <paramref name="endpoint"/> is one of AWS's (where real credentials are needed).</summary>
    public static bool IsAwsEndpoint(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host;
        return host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".api.aws", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".on.aws", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The credentials to sign a request to <paramref name="endpoint"/> with.</summary>
    /// <param name="endpoint">Where the request goes.</param>
    /// <param name="cancellationToken">Stops waiting for the lookup (it completes for the next caller).</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="InvalidOperationException">The chain found none and the endpoint is AWS's.</exception>
    public async Task<AWSCredentials> GetAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var lookup = Volatile.Read(ref _lookup);
        if (lookup is null || lookup.IsFaulted || lookup.IsCanceled)
        {
            var fresh = LookUpAsync();
            lookup = Interlocked.CompareExchange(ref _lookup, fresh, lookup) == lookup ? fresh : Volatile.Read(ref _lookup)!;
        }

        try
        {
            // The SDK's lookup takes no token; a caller that gives up stops waiting.
            return await lookup.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException exception) when (!IsAwsEndpoint(endpoint))
        {
            bool first;
            lock (_placeholderEndpoints)
            {
                first = _placeholderEndpoints.Add(endpoint.GetLeftPart(UriPartial.Authority));
            }

            if (first)
            {
                onPlaceholder?.Invoke(endpoint, exception.Message);
            }

            return Placeholder;
        }
        catch (AmazonClientException exception)
        {
            throw new InvalidOperationException($"No AWS credentials found to sign requests to {endpoint.GetLeftPart(UriPartial.Authority)}: {missingHint} {exception.Message}", exception);
        }
    }

    private static async Task<AWSCredentials> LookUpAsync() =>
        await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
}
