using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>The publisher with its telemetry: each notification counted as published or failed, tagged with the relay.</summary>
/// <param name="inner">The publisher.</param>
/// <param name="relay">The relay's name in telemetry (<c>outbox</c>, <c>dynamodb-streams</c>).</param>
/// <param name="telemetry">The server's instruments.</param>
internal sealed class InstrumentedNotificationPublisher(INotificationPublisher inner, string relay, ServerTelemetry telemetry) : INotificationPublisher
{
    public async Task PublishAsync(StreamNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            await inner.PublishAsync(notification, cancellationToken);
            telemetry.Relayed(relay, notification.StreamType, published: true);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            telemetry.Relayed(relay, notification.StreamType, published: false);
            throw;
        }
    }
}
