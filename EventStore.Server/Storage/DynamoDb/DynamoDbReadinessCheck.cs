using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Server.Health;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Readiness of the DynamoDB store: one <c>DescribeTable</c> (cheap, no capacity used) with the server's client and
/// credentials, once, without the store's retries. Ready when the table is active; otherwise it names the table, the
/// endpoint and the region, and says whether DynamoDB is unreachable, refused the credentials, or has no such table.
/// </summary>
internal sealed class DynamoDbReadinessCheck(IAmazonDynamoDB client, IOptions<DynamoDbStorageOptions> options) : IHealthCheck
{
    private readonly string _tableName = options.Value.TableName!;
    private readonly string _location = DynamoDbClientFactory.Location(options.Value);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        TableDescription table;
        try
        {
            table = (await client.DescribeTableAsync(new DescribeTableRequest { TableName = _tableName }, cancellationToken)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return DependencyCheck.Failed(
                DependencyFailureKind.Missing,
                $"The DynamoDB table '{_tableName}' does not exist at {_location} (EventStore:DynamoDb:TableName): create it, or set EventStore:DynamoDb:CreateTable=true for local use.");
        }
        catch (Exception exception) when (DynamoDbFailures.IsCredentialFailure(exception))
        {
            return DependencyCheck.Failed(DependencyFailureKind.Credentials, DynamoDbFailures.DescribeCredentialFailure(_tableName, _location, exception));
        }
        catch (Exception exception) when (!Answered(exception) && DynamoDbRetries.IsRetryable(exception, cancellationToken))
        {
            return DependencyCheck.Failed(
                DependencyFailureKind.Unreachable, $"DynamoDB at {_location} is unreachable (table '{_tableName}'): {exception.Message}");
        }
        catch (AmazonServiceException exception) when (DynamoDbRetries.IsRetryable(exception, cancellationToken))
        {
            return DependencyCheck.Failed(
                DependencyFailureKind.Unavailable, $"DynamoDB at {_location} failed to describe the table '{_tableName}' (may pass): {exception.ErrorCode}: {exception.Message}");
        }
        catch (AmazonServiceException exception)
        {
            return DependencyCheck.Failed(
                DependencyFailureKind.Incompatible, $"DynamoDB at {_location} refused to describe the table '{_tableName}': {exception.ErrorCode}: {exception.Message}");
        }

        return table.TableStatus == TableStatus.ACTIVE
            ? DependencyCheck.Healthy($"The DynamoDB table '{_tableName}' at {_location} is active.")
            : DependencyCheck.Failed(DependencyFailureKind.Unavailable, $"The DynamoDB table '{_tableName}' at {_location} is {table.TableStatus}, not yet ACTIVE.");
    }

    // An answer of the service (with a status), as opposed to a connection that failed or timed out.
    private static bool Answered(Exception exception) => exception is AmazonServiceException { StatusCode: not 0 };
}
