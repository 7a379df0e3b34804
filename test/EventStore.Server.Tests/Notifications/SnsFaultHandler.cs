using System.Net;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// Put into the server's SNS client: while <see cref="Failing"/>, answers every request with the 500 that SNS sends when
/// it has an internal error (the emulator cannot be made to do that on demand); otherwise passes requests on. Counts the
/// attempts it rejected.
/// </summary>
public sealed class SnsFaultHandler : DelegatingHandler
{
    private int _rejected;
    private volatile bool _failing = true;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public int Rejected => Volatile.Read(ref _rejected);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!Failing)
        {
            return base.SendAsync(request, cancellationToken);
        }

        Interlocked.Increment(ref _rejected);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StringContent("<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code></Error></ErrorResponse>"),
        });
    }
}
