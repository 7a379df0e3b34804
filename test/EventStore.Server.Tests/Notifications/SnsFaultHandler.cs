using System.Collections.Concurrent;
using System.Net;
using System.Web;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// Put into the server's SNS client: notes the notification of every publish attempt that reaches it, and while
/// <see cref="Failing"/> answers it (or those <see cref="Refuses"/> picks) with the 500 that SNS sends when it has an internal error (the emulator cannot be
/// made to do that on demand); otherwise passes it on — to the emulator, or to an endpoint that does not answer, whose
/// failure the relay then meets as it is.
/// </summary>
public sealed class SnsFaultHandler(bool failing = true) : DelegatingHandler
{
    private readonly ConcurrentQueue<StreamNotification> _attempts = new();
    private readonly ConcurrentQueue<StreamNotification> _unanswered = new();
    private int _rejected;
    private volatile bool _failing = failing;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>Which notifications are answered with the 500 while <see cref="Failing"/>: by default every one.</summary>
    public Func<StreamNotification, bool> Refuses { get; set; } = _ => true;

    /// <summary>The notification of each publish attempt, in the order they came.</summary>
    public IReadOnlyList<StreamNotification> Attempts => [.. _attempts];

    /// <summary>
    /// The notification of each attempt passed on that did not end in a success answer (timed out, failed, non-2xx):
    /// SNS may have taken it anyway, so the relay's next attempt may deliver it a second time.
    /// </summary>
    public IReadOnlyList<StreamNotification> Unanswered => [.. _unanswered];

    /// <summary>How many attempts were answered with the 500.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Waits until <paramref name="count"/> attempts have come in all (two: the relay has retried).</summary>
    /// <param name="count">The attempts to wait for.</param>
    /// <param name="patience">How long to wait.</param>
    /// <returns>A task completing when they have come.</returns>
    public Task WaitForAttemptsAsync(int count, TimeSpan patience) =>
        Poll.UntilAsync(() => _attempts.Count >= count, patience, () => $"{count} publish attempts; came: {_attempts.Count}");

    /// <summary>Puts this handler into the SNS client of the server whose services these are.</summary>
    /// <param name="services">The server's services (a fixture's <c>configureServices</c>).</param>
    public void AddTo(IServiceCollection services) =>
        services.AddHttpClient(NotificationServiceCollectionExtensions.SnsHttpClientName).AddHttpMessageHandler(() => this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = HttpUtility.ParseQueryString(await request.Content!.ReadAsStringAsync(cancellationToken));
        var notification = StreamNotificationConverter.FromMessageBody(form["Message"]!);
        _attempts.Enqueue(notification);
        if (!Failing || !Refuses(notification))
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    _unanswered.Enqueue(notification);
                }

                return response;
            }
            catch
            {
                _unanswered.Enqueue(notification);
                throw;
            }
        }

        Interlocked.Increment(ref _rejected);
        return new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StringContent("<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code></Error></ErrorResponse>"),
        };
    }
}
