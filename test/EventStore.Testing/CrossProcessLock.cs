namespace EventStore.Testing;

/// <summary>
/// An exclusive lock on a file, shared by every process of the machine (test assemblies run in parallel processes): an
/// open file with <see cref="FileShare.None"/>, which .NET on Linux takes as an advisory <c>flock</c>. The lock ends when
/// it is disposed, or with the process that holds it, however that ends.
/// </summary>
public static class CrossProcessLock
{
    /// <summary>Takes the lock on <paramref name="path"/> (created if missing), waiting while another holder has it.</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="timeout">How long to wait for it.</param>
    /// <returns>The lock; dispose it to let go.</returns>
    /// <exception cref="TimeoutException">Another holder kept it for longer than <paramref name="timeout"/>.</exception>
    public static async Task<IDisposable> AcquireAsync(string path, TimeSpan timeout)
    {
        FileStream? held = null;
        await Poll.UntilAsync(() => (held = TryAcquire(path)) is not null, timeout, () => $"the lock {path} is held by another process");
        return held!;
    }

    private static FileStream? TryAcquire(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
