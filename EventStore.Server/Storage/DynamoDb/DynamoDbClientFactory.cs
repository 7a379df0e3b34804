using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ServerlessEventStore.Client.Aws.Signing;
using Amazon.Runtime.Credentials;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Creates the DynamoDB client from the settings: region and credentials from the AWS SDK's usual sources, a request
/// timeout so that an unreachable endpoint fails in seconds, and no retries of its own (<see cref="DynamoDbRetries"/>
/// retries). With a <see cref="DynamoDbStorageOptions.ServiceUrl"/> (DynamoDB Local) a run needs no AWS setup at all.
/// The DynamoDB Streams reader of the notification relay takes its region from here too, so that both reach the same
/// table.
/// </summary>
internal static partial class DynamoDbClientFactory
{
    // DynamoDB Local accepts any region and any credentials, but the SDK signs every request and needs both.
    private const string LocalRegion = "us-east-1";

    public static AmazonDynamoDBClient Create(DynamoDbStorageOptions options, ILogger logger)
    {
        var config = new AmazonDynamoDBConfig
        {
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            ConnectTimeout = options.RequestTimeout,
        };
        if (options.ServiceUrl is null)
        {
            return new AmazonDynamoDBClient(config);
        }

        config.ServiceURL = options.ServiceUrl.ToString();
        if (FallbackRegionFactory.GetRegionEndpoint() is null)
        {
            config.AuthenticationRegion = LocalRegion;
        }

        // The product's one rule (AwsCredentialSource): placeholder credentials only for an endpoint outside AWS.
        return AwsCredentialSource.IsAwsEndpoint(options.ServiceUrl)
            ? new AmazonDynamoDBClient(config)
            : new AmazonDynamoDBClient(LocalCredentials(config, logger), config);
    }

    /// <summary>The region requests are signed for: the SDK's configured region, or for a local endpoint without one, <c>us-east-1</c>.</summary>
    /// <exception cref="AmazonClientException">No region is configured and the endpoint is AWS's.</exception>
    public static string Region(DynamoDbStorageOptions options) =>
        FallbackRegionFactory.GetRegionEndpoint()?.SystemName
        ?? (options.ServiceUrl is null
            ? throw new AmazonClientException("No AWS region is configured (AWS_REGION, profile or instance metadata).")
            : LocalRegion);

    private static AWSCredentials LocalCredentials(AmazonDynamoDBConfig config, ILogger logger)
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(config);
        }
        catch (AmazonClientException)
        {
            LogDummyCredentials(logger, config.ServiceURL);
            return new BasicAWSCredentials("local", "local");
        }
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "No AWS credentials found; signing requests to {ServiceUrl} with dummy credentials, which DynamoDB Local accepts")]
    private static partial void LogDummyCredentials(ILogger logger, string serviceUrl);
}
