using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Credentials to sign SNS requests with: the AWS SDK's default chain (environment, profile, web identity, container,
/// instance metadata), looked up on first use and kept (the SDK refreshes temporary credentials itself). When the chain
/// finds none and the endpoint is an emulator, placeholder credentials do, with a warning; for AWS the lookup fails and
/// is tried again at the next publication.
/// </summary>
internal sealed partial class SnsCredentialSource(IOptions<NotificationOptions> options, ILogger<SnsCredentialSource> logger) : IDisposable
{
    private static readonly BasicAWSCredentials Placeholder = new("emulator", "emulator");
    private readonly SemaphoreSlim _lookup = new(1, 1);
    private AWSCredentials? _credentials;

    public async Task<AWSCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_credentials is { } known)
        {
            return known;
        }

        await _lookup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _credentials ??= await LookUpAsync().ConfigureAwait(false);
        }
        finally
        {
            _lookup.Release();
        }
    }

    public void Dispose() => _lookup.Dispose();

    private async Task<AWSCredentials> LookUpAsync()
    {
        try
        {
            return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
        }
        catch (AmazonClientException exception) when (options.Value.SnsServiceUrl is { } url && SnsTopic.IsEmulator(url))
        {
            LogPlaceholderCredentials(logger, url, exception.Message);
            return Placeholder;
        }
        catch (AmazonClientException exception)
        {
            throw new NotificationPublishException("No AWS credentials found to sign the SNS request: " + exception.Message, exception);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "No AWS credentials found; signing requests to the SNS emulator at {ServiceUrl} with placeholder credentials. {Reason}")]
    private static partial void LogPlaceholderCredentials(ILogger logger, Uri serviceUrl, string reason);
}
