namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// The outcome of a batch operation (acknowledge, change visibility) per receipt handle: SQS carries out each entry on
/// its own, so some may fail while the others succeed.
/// </summary>
public sealed class NotificationBatchResult
{
    /// <summary>Creates a result; for tests and mocks.</summary>
    /// <param name="succeeded">The receipt handles of the entries carried out.</param>
    /// <param name="failed">The entries not carried out.</param>
    public NotificationBatchResult(IReadOnlyList<string> succeeded, IReadOnlyList<NotificationBatchFailure> failed)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        ArgumentNullException.ThrowIfNull(failed);
        Succeeded = succeeded;
        Failed = failed;
    }

    /// <summary>The receipt handles of the entries carried out.</summary>
    public IReadOnlyList<string> Succeeded { get; }

    /// <summary>The entries not carried out, each with the SQS error.</summary>
    public IReadOnlyList<NotificationBatchFailure> Failed { get; }

    /// <summary>Whether every entry was carried out.</summary>
    public bool AllSucceeded => Failed.Count == 0;
}
