namespace EventStore.Testing;

/// <summary>
/// Counts the HTTP attempts that pass through it: added to a client's builder after the resilience handler
/// (<c>AddHttpMessageHandler(() =&gt; counter)</c>), it sees every attempt that handler makes.
/// </summary>
public sealed class AttemptCounter : DelegatingHandler
{
    private int _count;

    /// <summary>The attempts counted since the start or the last <see cref="Reset"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts counting from zero again.</summary>
    public void Reset() => Volatile.Write(ref _count, 0);

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
