using System.Net;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>The transport of an HTTP client under test: keeps each request (with its body) and answers with a fixed status.</summary>
public sealed class CapturingHandler(HttpStatusCode status, string responseBody) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request, body));
        }

        return new HttpResponseMessage(status) { Content = new StringContent(responseBody) };
    }
}
