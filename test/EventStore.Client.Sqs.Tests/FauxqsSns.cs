using System.Xml.Linq;
using EventStore.Testing;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>
/// SNS in fauxqs over its query API (no SNS SDK package needed): a topic with an SQS subscription, as the event store's
/// relay publishes to it.
/// </summary>
internal sealed class FauxqsSns(Fauxqs fauxqs) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fauxqs.ServiceUrl };

    public async Task<string> CreateTopicAsync() =>
        Value(await CallAsync(new() { ["Action"] = "CreateTopic", ["Name"] = $"t-{Guid.NewGuid():N}" }), "TopicArn");

    public async Task SubscribeAsync(string topicArn, string queueArn, bool rawMessageDelivery)
    {
        var parameters = new Dictionary<string, string>
        {
            ["Action"] = "Subscribe",
            ["TopicArn"] = topicArn,
            ["Protocol"] = "sqs",
            ["Endpoint"] = queueArn,
        };
        if (rawMessageDelivery)
        {
            parameters["Attributes.entry.1.key"] = "RawMessageDelivery";
            parameters["Attributes.entry.1.value"] = "true";
        }

        await CallAsync(parameters);
    }

    public async Task PublishAsync(string topicArn, string message) =>
        await CallAsync(new() { ["Action"] = "Publish", ["TopicArn"] = topicArn, ["Message"] = message });

    public void Dispose() => _http.Dispose();

    private async Task<XDocument> CallAsync(Dictionary<string, string> parameters)
    {
        parameters["Version"] = "2010-03-31";
        using var content = new FormUrlEncodedContent(parameters);
        using var response = await _http.PostAsync(new Uri("/", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"SNS {parameters["Action"]} answered {(int)response.StatusCode}: {text}");
        return XDocument.Parse(text);
    }

    private static string Value(XDocument document, string name) =>
        document.Descendants().First(e => e.Name.LocalName == name).Value;
}
