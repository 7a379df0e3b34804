namespace ServerlessEventStore.Server.Tests.Faults;

/// <summary>Counts the HTTP attempts that leave the client (added inside its resilience handler, it sees every retry).</summary>
internal sealed class AttemptCounter : DelegatingHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Volatile.Write(ref _count, 0);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
