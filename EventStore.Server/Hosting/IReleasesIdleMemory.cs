namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// A part of the server that holds memory for speed while busy (caches, pooled connections) and can let it go when the
/// server is idle: <see cref="IdleMemoryTrimmer"/> asks each one registered, once a burst of work is over.
/// </summary>
internal interface IReleasesIdleMemory
{
    /// <summary>Lets go of what this part keeps only to be faster when busy; it works on as before afterwards.</summary>
    void ReleaseIdleMemory();
}
