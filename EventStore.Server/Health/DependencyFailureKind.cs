namespace ServerlessEventStore.Server.Health;

/// <summary>Why a dependency of the server (its store, the SNS topic) is not ready, as readiness reports it.</summary>
internal enum DependencyFailureKind
{
    /// <summary>No answer: the endpoint refused the connection, or did not answer in time. May pass.</summary>
    Unreachable,

    /// <summary>It answered, but with a passing fault: throttled, busy, a 5xx, a table still being created. May pass.</summary>
    Unavailable,

    /// <summary>No credentials were found, or the service refused them (invalid, expired, access denied).</summary>
    Credentials,

    /// <summary>The table or the topic does not exist.</summary>
    Missing,

    /// <summary>The store's file can't be created, opened or written.</summary>
    Unwritable,

    /// <summary>The store exists but is not one this server can use (e.g. written by a newer version, an index missing).</summary>
    Incompatible,
}
