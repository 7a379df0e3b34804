namespace ServerlessEventStore.Types;

/// <summary>
/// The <c>errorCode</c> member of the server's problem details: what kind of failure a 503 is, so that a caller can tell
/// a passing fault (retry later) from a server that will keep failing until its settings are fixed.
/// </summary>
public static class EventStoreErrorCodes
{
    /// <summary>The problem details member holding the code.</summary>
    public const string MemberName = "errorCode";

    /// <summary>
    /// The store failed for a passing reason (unreachable, throttled, busy): 503 with <c>Retry-After</c>; retrying helps.
    /// </summary>
    public const string StorageUnavailable = "storage-unavailable";

    /// <summary>
    /// The store can't work as configured (its table is missing, the credentials are missing or refused, its file can't be
    /// written): 503 without <c>Retry-After</c>; retrying does not help until the server's settings are fixed.
    /// </summary>
    public const string StorageMisconfigured = "storage-misconfigured";
}
