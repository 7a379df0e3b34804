using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerlessEventStore.Client.Aws.Signing;
using ServerlessEventStore.Server.Health;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Readiness of the SNS topic notifications go to (registered only when <c>EventStore:Notifications:SnsTopicArn</c> is
/// set): one <c>GetTopicAttributes</c> through the server's signed SNS client. When it fails, the reason names the topic's
/// ARN and the endpoint, and says whether SNS is unreachable, refused the credentials, or has no such topic — without
/// which appends would still succeed while their notifications pile up in the outbox.
/// </summary>
internal sealed class SnsTopicReadinessCheck(SnsNotificationPublisher sns) : IHealthCheck
{
    private static readonly HashSet<string> CredentialErrorCodes = new(StringComparer.Ordinal)
    {
        "AuthorizationError", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "AccessDenied", "AccessDeniedException",
        "IncompleteSignature", "MissingAuthenticationToken",
    };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var topic = $"The SNS topic '{sns.TopicArn}' at {sns.ServiceUrl} (EventStore:Notifications:SnsTopicArn)";
        (HttpStatusCode Status, string? ErrorCode, string? Error) answer;
        try
        {
            answer = await sns.GetTopicAttributesAsync(cancellationToken);
        }
        catch (NotificationPublishException exception)
        {
            return DependencyCheck.Failed(DependencyFailureKind.Unreachable, $"{topic} is unreachable: {exception.Message}");
        }
        catch (AwsCredentialsMissingException exception)
        {
            return DependencyCheck.Failed(DependencyFailureKind.Credentials, $"{topic} can't be used: {exception.Message}");
        }

        var (status, code, error) = answer;
        if ((int)status < 300)
        {
            return DependencyCheck.Healthy($"{topic} exists.");
        }

        if (status == HttpStatusCode.NotFound || code == "NotFound")
        {
            return DependencyCheck.Failed(DependencyFailureKind.Missing, $"{topic} does not exist: create it, or correct the ARN.");
        }

        if (status == HttpStatusCode.Forbidden || (code is not null && CredentialErrorCodes.Contains(code)))
        {
            return DependencyCheck.Failed(DependencyFailureKind.Credentials, $"{topic} refused the server's AWS credentials: {error}");
        }

        return (int)status >= 500 || status == HttpStatusCode.TooManyRequests || code is "Throttling" or "Throttled"
            ? DependencyCheck.Failed(DependencyFailureKind.Unavailable, $"{topic} failed (may pass): {(int)status} {error}")
            : DependencyCheck.Failed(DependencyFailureKind.Incompatible, $"{topic} refused GetTopicAttributes: {(int)status} {error}");
    }
}
