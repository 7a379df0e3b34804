using System.Net;
using System.Text.RegularExpressions;
using ServerlessEventStore.Types;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Stands in for <c>AmazonSimpleNotificationServiceClient</c> of the AWSSDK.SimpleNotificationService package, which the
/// package source here does not serve; swap it in when it is. Publishes to an SNS topic with one <c>Publish</c> call of
/// the SNS Query API: a form-encoded POST, signed by
/// <see cref="SnsSigningHandler"/>. The message is the original's JSON; the stream type is also a <c>String</c> message
/// attribute, so subscriptions can filter on either scope. Unreachable, timed out or non-2xx: a
/// <see cref="NotificationPublishException"/>, and the relay tries again.
/// </summary>
internal sealed partial class SnsNotificationPublisher : INotificationPublisher
{
    private const int MaxErrorTextLength = 500;
    private readonly HttpClient _httpClient;
    private readonly string _topicArn;
    private readonly Uri _serviceUrl;

    public SnsNotificationPublisher(HttpClient httpClient, SnsTopic topic, IOptions<NotificationOptions> options)
    {
        _httpClient = httpClient;
        _topicArn = topic.Arn;
        _serviceUrl = options.Value.SnsServiceUrl ?? topic.DefaultServiceUrl;
    }

    public async Task PublishAsync(StreamNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var response = await SendAsync(
            [
                new("Action", "Publish"),
                new("Message", StreamNotificationConverter.ToMessageBody(notification)),
                new("MessageAttributes.entry.1.Name", "StreamType"),
                new("MessageAttributes.entry.1.Value.DataType", "String"),
                new("MessageAttributes.entry.1.Value.StringValue", notification.StreamType),
            ],
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new NotificationPublishException(
                $"SNS at {_serviceUrl} answered {(int)response.StatusCode} {response.StatusCode}: {await ReadErrorAsync(response, cancellationToken)}");
        }
    }

    /// <summary>
    /// Asks SNS for the topic's attributes (<c>GetTopicAttributes</c>): cheap, and it proves that the topic exists and
    /// that the server's credentials may use it.
    /// </summary>
    /// <returns>SNS's status, and on an error its error code (e.g. <c>NotFound</c>, <c>AuthorizationError</c>) and text.</returns>
    /// <exception cref="NotificationPublishException">SNS is unreachable or did not answer in time.</exception>
    public async Task<(HttpStatusCode Status, string? ErrorCode, string? Error)> GetTopicAttributesAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync([new("Action", "GetTopicAttributes")], cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null, null);
        }

        var error = await ReadErrorAsync(response, cancellationToken);
        var code = ErrorCodePattern().Match(error);
        return (response.StatusCode, code.Success ? code.Groups["code"].Value : null, error);
    }

    /// <summary>Where the topic's requests go.</summary>
    public Uri ServiceUrl => _serviceUrl;

    /// <summary>The topic.</summary>
    public string TopicArn => _topicArn;

    /// <summary>One call of the SNS Query API on the topic.</summary>
    /// <exception cref="NotificationPublishException">SNS is unreachable or did not answer in time.</exception>
    private async Task<HttpResponseMessage> SendAsync(KeyValuePair<string, string>[] parameters, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _serviceUrl)
        {
            Content = new FormUrlEncodedContent([new("Version", "2010-03-31"), new("TopicArn", _topicArn), .. parameters]),
        };
        try
        {
            return await _httpClient.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new NotificationPublishException($"SNS at {_serviceUrl} is unreachable: {exception.Message}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationPublishException($"SNS at {_serviceUrl} did not answer in time.", exception);
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length > MaxErrorTextLength ? text[..MaxErrorTextLength] + "…" : text;
        }
        catch (HttpRequestException)
        {
            return "(no readable body)";
        }
    }

    // The Query API's error document: <ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>…
    [GeneratedRegex("<Code>(?<code>[A-Za-z0-9.]+)</Code>", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCodePattern();
}
