using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace ServerlessEventStore.Client.Aws.Signing;

/// <summary>
/// The credentials requests are signed with: the configured ones, or the AWS SDK's default chain looked up on first use
/// and kept (the kept object is the SDK's own, so temporary credentials refresh themselves). A failed lookup is not
/// kept: the next request looks again. When the chain finds none and <c>allowPlaceholder</c> is set (the server), a
/// request to an endpoint outside AWS (an emulator, DynamoDB Local) is signed with placeholder credentials, which such
/// endpoints accept; otherwise (the client, and any endpoint of AWS) it fails. Shared as source by the client and the
/// server: one rule for every signed call.
/// </summary>
/// <param name="configured">Credentials to use instead of the default chain, if any.</param>
/// <param name="allowPlaceholder">Whether an endpoint outside AWS may be signed with placeholder credentials.</param>
/// <param name="missingHint">What the error of a failed lookup tells the caller to set.</param>
/// <param name="onPlaceholder">
/// Told the endpoint and what to set (<paramref name="missingHint"/>), the first time placeholder credentials are used
/// for it; not the SDK's account of each provider it tried, which spans lines and says nothing an emulator's user needs.
/// </param>
internal sealed class AwsCredentialSource(AWSCredentials? configured, bool allowPlaceholder, string missingHint, Action<Uri, string>? onPlaceholder = null)
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
    /// <exception cref="AwsCredentialsMissingException">The chain found none and the endpoint is AWS's.</exception>
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
        catch (AmazonClientException) when (allowPlaceholder && !IsAwsEndpoint(endpoint))
        {
            bool first;
            lock (_placeholderEndpoints)
            {
                first = _placeholderEndpoints.Add(endpoint.GetLeftPart(UriPartial.Authority));
            }

            if (first)
            {
                onPlaceholder?.Invoke(endpoint, missingHint);
            }

            return Placeholder;
        }
        catch (AmazonClientException exception)
        {
            // The SDK's own account of each provider it tried stays in the inner exception (for logs): it is long, spans
            // lines and names internals, which a problem's detail must not.
            throw new AwsCredentialsMissingException($"No AWS credentials found to sign requests to {endpoint.GetLeftPart(UriPartial.Authority)}: {missingHint}", exception);
        }
    }

    /// <summary>
    /// These credentials as the AWS SDK's <see cref="AWSCredentials"/> for a client of its own (the DynamoDB client), for
    /// requests to <paramref name="endpoint"/>: looked up on the first request, not here, by the same rule.
    /// </summary>
    /// <param name="endpoint">Where the SDK client's requests go.</param>
    /// <returns>Credentials that resolve through this source.</returns>
    public AWSCredentials For(Uri endpoint) => new SourcedCredentials(this, endpoint);

    private static async Task<AWSCredentials> LookUpAsync() =>
        await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);

    private sealed class SourcedCredentials(AwsCredentialSource source, Uri endpoint) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() =>
            source.GetAsync(endpoint, CancellationToken.None).GetAwaiter().GetResult().GetCredentials();

        public override async Task<ImmutableCredentials> GetCredentialsAsync() =>
            await (await source.GetAsync(endpoint, CancellationToken.None).ConfigureAwait(false)).GetCredentialsAsync().ConfigureAwait(false);
    }
}

/// <summary>No AWS credentials were found to sign a request with (an <see cref="InvalidOperationException"/>).</summary>
/// <param name="message">Which endpoint, and what to set.</param>
/// <param name="innerException">The AWS SDK's failed lookup.</param>
internal sealed class AwsCredentialsMissingException(string message, Exception innerException) : InvalidOperationException(message, innerException);
