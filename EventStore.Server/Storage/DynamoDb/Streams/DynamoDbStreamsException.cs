using System.Net;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>An error answer of the DynamoDB Streams API, with AWS's error code (e.g. <c>ExpiredIteratorException</c>).</summary>
internal sealed class DynamoDbStreamsException(string errorCode, HttpStatusCode status, string message)
    : Exception($"DynamoDB Streams answered {(int)status} {errorCode}: {message}")
{
    public const string ExpiredIterator = "ExpiredIteratorException";
    public const string TrimmedDataAccess = "TrimmedDataAccessException";
    public const string ResourceNotFound = "ResourceNotFoundException";

    public string ErrorCode { get; } = errorCode;

    public HttpStatusCode Status { get; } = status;
}
