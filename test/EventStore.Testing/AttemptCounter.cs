namespace EventStore.Testing;

/// <summary>
/// Counts the HTTP attempts that pass through it: added to a client's builder after the resilience handler
/// (<c>AddHttpMessageHandler(() =&gt; counter)</c>), it sees every attempt that handler makes.
/// </summary>
public sealed class AttemptCounter : DelegatingHandler
{
    private int _count;
    private int _answered;

    /// <summary>The attempts counted since the start or the last <see cref="Reset"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The attempts among them that got an answer (any status): not those the resilience handler gave up on at its
    /// attempt timeout, which a slow, loaded machine can make of a first attempt.
    /// </summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Starts counting from zero again.</summary>
    public void Reset()
    {
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _answered, 0);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        var response = await base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _answered);
        return response;
    }
}
