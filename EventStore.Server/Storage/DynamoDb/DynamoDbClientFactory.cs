using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace EventStore.Server.Storage.DynamoDb;

/// <summary>
/// Creates the DynamoDB client from the settings: region and credentials from the AWS SDK's usual sources, a request
/// timeout so that an unreachable endpoint fails in seconds, and no retries of its own (<see cref="DynamoDbRetryPolicy"/>
/// retries). With a <see cref="DynamoDbStorageOptions.ServiceUrl"/> (DynamoDB Local) a run needs no AWS setup at all.
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

        return new AmazonDynamoDBClient(LocalCredentials(config, logger), config);
    }

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
