using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Creates the DynamoDB client from the settings: the region from the AWS SDK's usual sources, the server's one
/// credential source (<see cref="AwsCredentialSource"/>: placeholder credentials only for an endpoint outside AWS), a
/// request timeout so that an unreachable endpoint fails in seconds, and no retries of its own
/// (<see cref="DynamoDbRetries"/> retries). With a <see cref="DynamoDbStorageOptions.ServiceUrl"/> (DynamoDB Local) a
/// run needs no AWS setup at all. The DynamoDB Streams reader of the notification relay takes its region from here too,
/// so that both reach the same table.
/// </summary>
internal static class DynamoDbClientFactory
{
    // DynamoDB Local accepts any region and any credentials, but the SDK signs every request and needs both.
    private const string LocalRegion = "us-east-1";

    /// <summary>The client of the table the settings name.</summary>
    /// <param name="options">The DynamoDB store's settings.</param>
    /// <param name="credentials">The server's credential source.</param>
    /// <returns>The client.</returns>
    /// <exception cref="StorageMisconfiguredException">No region is configured for an endpoint of AWS.</exception>
    public static AmazonDynamoDBClient Create(DynamoDbStorageOptions options, AwsCredentialSource credentials)
    {
        var region = Region(options);
        var config = new AmazonDynamoDBConfig
        {
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            ConnectTimeout = options.RequestTimeout,
        };
        Uri endpoint;
        if (options.ServiceUrl is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            endpoint = new Uri($"https://dynamodb.{region}.amazonaws.com/");
        }
        else
        {
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = region;
            endpoint = options.ServiceUrl;
        }

        return new AmazonDynamoDBClient(credentials.For(endpoint), config);
    }

    /// <summary>Where the table is, for messages: the endpoint override, or the region's endpoint.</summary>
    /// <param name="options">The DynamoDB store's settings.</param>
    /// <returns>E.g. <c>http://127.0.0.1:8000/ (region us-east-1)</c>.</returns>
    public static string Location(DynamoDbStorageOptions options)
    {
        string region;
        try
        {
            region = Region(options);
        }
        catch (StorageMisconfiguredException)
        {
            region = "none configured";
        }

        return options.ServiceUrl is { } serviceUrl
            ? $"{serviceUrl} (region {region})"
            : $"https://dynamodb.{region}.amazonaws.com/ (region {region})";
    }

    /// <summary>
    /// The region requests are signed for: the SDK's configured region, or for an endpoint outside AWS without one,
    /// <c>us-east-1</c>.
    /// </summary>
    /// <param name="options">The DynamoDB store's settings.</param>
    /// <returns>The region's system name.</returns>
    /// <exception cref="StorageMisconfiguredException">No region is configured and the endpoint is AWS's.</exception>
    public static string Region(DynamoDbStorageOptions options)
    {
        if (FallbackRegionFactory.GetRegionEndpoint() is { } configured)
        {
            return configured.SystemName;
        }

        return options.ServiceUrl is { } serviceUrl && !AwsCredentialSource.IsAwsEndpoint(serviceUrl)
            ? LocalRegion
            : throw new StorageMisconfiguredException(
                "No AWS region is configured for DynamoDB: set AWS_REGION (or AWS_DEFAULT_REGION, or a region in the AWS profile), " +
                $"or {DynamoDbStorageOptions.SectionName}:{nameof(DynamoDbStorageOptions.ServiceUrl)} for DynamoDB Local.");
    }
}
