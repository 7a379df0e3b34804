using Amazon.Runtime;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Failures of DynamoDB that retrying does not cure because the server's credentials are the problem: none found, or
/// refused by the service (unknown key, bad signature, expired token, access denied). The store answers them as
/// misconfigured, and readiness names them.
/// </summary>
internal static class DynamoDbFailures
{
    private static readonly HashSet<string> CredentialErrorCodes = new(StringComparer.Ordinal)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException", "AccessDeniedException",
        "MissingAuthenticationTokenException", "MissingAuthenticationToken", "ExpiredTokenException", "InvalidClientTokenId",
        "SignatureDoesNotMatch",
    };

    /// <summary>Whether <paramref name="exception"/> (or what caused it) is a missing or refused credential.</summary>
    public static bool IsCredentialFailure(Exception? exception) => exception switch
    {
        null => false,
        AwsCredentialsMissingException => true,
        AmazonServiceException { ErrorCode: { } code } when CredentialErrorCodes.Contains(code) => true,
        _ => IsCredentialFailure(exception.InnerException),
    };

    /// <summary>What to tell a person about a credential failure: which table, where, and what the service said.</summary>
    public static string DescribeCredentialFailure(string tableName, string location, Exception exception) =>
        $"DynamoDB at {location} refused the server's AWS credentials for the table '{tableName}', or none were found: {Innermost(exception).Message}";

    private static Exception Innermost(Exception exception) =>
        exception is AwsCredentialsMissingException or AmazonServiceException || exception.InnerException is null ? exception : Innermost(exception.InnerException);
}
