namespace ServerlessEventStore.Server.Telemetry;

/// <summary>Tag names and values of the server's activities and instruments (documented in the README).</summary>
internal static class TelemetryTags
{
    public const string Operation = "eventstore.operation";
    public const string Store = "eventstore.store";
    public const string StreamType = "eventstore.stream_type";
    public const string StreamId = "eventstore.stream_id";
    public const string Revision = "eventstore.revision";
    public const string EventCount = "eventstore.event_count";
    public const string Direction = "eventstore.direction";
    public const string Outcome = "eventstore.outcome";
    public const string Relay = "eventstore.relay";
    public const string Result = "eventstore.result";
    public const string ErrorType = "error.type";

    public const string Append = "append";
    public const string ReadEvents = "read_events";
    public const string ReadStreams = "read_streams";
    public const string ReadDetails = "read_details";
    public const string ReadStreamTypes = "read_stream_types";
    public const string ReadTypeEvents = "read_type_events";
    public const string CreateTable = "create_table";
    public const string Delete = "delete";
    public const string Truncate = "truncate";

    public const string Forward = "forward";
    public const string Backward = "backward";

    public const string Sqlite = "sqlite";
    public const string DynamoDb = "dynamodb";

    public const string Appended = "appended";
    public const string AlreadyAppended = "already-appended";
    public const string WrongExpectedRevision = "wrong-expected-revision";
    public const string NotFound = "not-found";
    public const string Deleted = "deleted";
    public const string Removed = "removed";
    public const string MoreToRemove = "more-to-remove";
    public const string Found = "found";
    public const string Unavailable = "unavailable";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Published = "published";

    public const string OutboxRelay = "outbox";
    public const string DynamoDbStreamsRelay = "dynamodb-streams";
}
