using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace ServerlessEventStore.Client.Aws.Signing;

/// <summary>
/// The credentials a signing handler signs with: the configured ones, or the AWS SDK's default chain looked up on first
/// use and kept. The kept object is the SDK's own, so temporary credentials refresh themselves when the signer asks for
/// them. A failed lookup is not kept: the next request looks again.
/// </summary>
internal sealed class AwsCredentialSource(AWSCredentials? configured)
{
    private Task<AWSCredentials>? _lookup = configured is null ? null : Task.FromResult(configured);

    public Task<AWSCredentials> GetAsync(CancellationToken cancellationToken)
    {
        var lookup = Volatile.Read(ref _lookup);
        if (lookup is null || lookup.IsFaulted || lookup.IsCanceled)
        {
            var fresh = LookUpAsync();
            lookup = Interlocked.CompareExchange(ref _lookup, fresh, lookup) == lookup ? fresh : Volatile.Read(ref _lookup)!;
        }

        // The SDK's lookup takes no token; a caller that gives up stops waiting, the lookup completes for the next one.
        return lookup.WaitAsync(cancellationToken);
    }

    private static async Task<AWSCredentials> LookUpAsync()
    {
        try
        {
            return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
        }
        catch (AmazonClientException exception)
        {
            throw new InvalidOperationException(
                "No AWS credentials found to sign requests to the event store: set AwsSigV4SigningOptions.Credentials, or "
                + "provide credentials to the AWS SDK's default chain (environment, profile, role). " + exception.Message,
                exception);
        }
    }
}
