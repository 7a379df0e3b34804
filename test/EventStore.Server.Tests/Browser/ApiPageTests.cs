using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventStore.Testing;
using Microsoft.Playwright;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// The interactive API page as a person sees it: the server's <c>/openapi/</c> loaded in headless Chromium, Swagger UI's
/// scripts run, and the rendered page checked against the contract. A screenshot is kept in
/// <c>.artifacts/browser/api-page.png</c>.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class ApiPageTests(EventStoreServerFixture server, PlaywrightChromium chromium) : IClassFixture<EventStoreServerFixture>
{
    private const int MinimalScreenshotBytes = 20_000;

    [Fact]
    public async Task ApiPage_InChromium_RendersEveryOperationOfTheContract()
    {
        var operations = ContractOperations();
        var dom = await RenderedDomAsync(new Uri(server.BaseAddress, "openapi/"), ".opblock", operations.Count);

        // Swagger UI breaks long paths with <wbr>; without them the text is the path as the contract writes it.
        var text = dom.Replace("<wbr>", string.Empty, StringComparison.Ordinal);
        text.Should().Contain("<title>ServerlessEventStore API</title>");
        operations.Should().HaveCountGreaterThanOrEqualTo(6);
        foreach (var operation in operations)
        {
            text.Should().Contain($"<div class=\"opblock opblock-{operation.Method}\" id=\"operations-{operation.Tag}-{operation.OperationId}\">",
                $"{operation.Method.ToUpperInvariant()} {operation.Path} is rendered as an operation");
            text.Should().Contain($"data-path=\"{operation.Path}\"").And.Contain($"<span>{operation.Path}</span>");
            text.Should().Contain($">{WebUtility.HtmlEncode(operation.Summary)}<", $"the summary of {operation.OperationId} is shown");
        }

        text.Should().Contain("/streams/{streamType}/{streamId}/events/{streamRevision}").And.Contain(">Append new events to stream<");
    }

    [Fact]
    public async Task ApiPage_InChromium_ScreenshotIsKeptAsArtifact()
    {
        File.Delete(Path.Combine(PlaywrightChromium.ArtifactsPath, "api-page.png"));
        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, "openapi/"));
        await Assertions.Expect(browser.Page.Locator(".opblock").First).ToBeVisibleAsync();

        var path = await browser.ScreenshotAsync("api-page");

        var file = new FileInfo(path);
        file.Exists.Should().BeTrue($"Chromium writes the screenshot to {path}");
        file.Length.Should().BeGreaterThan(MinimalScreenshotBytes, "a rendered page is more than a blank PNG");
        var header = new byte[8];
        await using (var stream = file.OpenRead())
        {
            await stream.ReadExactlyAsync(header);
        }

        header.Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    /// <summary>
    /// The example body Swagger UI shows for an operation, and fills in on "Try it out", executed twice as a person
    /// would: both times new events are appended. A fixed <c>eventId</c> in it would make the second an idempotent repeat.
    /// </summary>
    [Theory]
    [InlineData("stream", "CreateStream", "initialEvent")]
    [InlineData("event", "AppendEvents", "event")]
    public async Task OperationLink_InChromium_ShowsAnExampleBodyWithoutEventIdThatAppendsEachTime(string tag, string operationId, string eventMember)
    {
        var dom = await RenderedDomAsync(
            new Uri(server.BaseAddress, $"openapi/#/{tag}/{operationId}"), $"#operations-{tag}-{operationId} pre.body-param__example", 1);

        var example = RequestBodyExample(dom, $"operations-{tag}-{operationId}");
        example.EnumerateObject().Select(member => member.Name).Should().Equal([eventMember], "the example is one valid request body");
        example.GetProperty(eventMember).GetProperty("eventType").GetString().Should().NotBeNullOrEmpty();
        example.GetRawText().Should().NotContain("eventId");

        using var client = server.CreateHttpClient();
        var (type, id) = (NewType(), Guid.NewGuid());
        for (var revision = 1; revision <= 2; revision++)
        {
            using var response = operationId == "CreateStream"
                ? await client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json(example.GetRawText()))
                : await client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json(example.GetRawText()));
            (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32()
                .Should().Be(operationId == "CreateStream" ? 1 : revision);
        }
    }

    [Fact]
    public void Contract_EveryRequestExample_CarriesNoEventId()
    {
        using var contract = JsonDocument.Parse(File.ReadAllBytes(ContractPath));
        var paths = contract.RootElement.GetProperty("paths");
        var examples =
            (from path in paths.EnumerateObject()
             from operation in path.Value.EnumerateObject()
             where operation.Value.TryGetProperty("requestBody", out _)
             from media in operation.Value.GetProperty("requestBody").GetProperty("content").EnumerateObject()
             where media.Value.TryGetProperty("examples", out _)
             from example in media.Value.GetProperty("examples").EnumerateObject()
             select (Name: $"{operation.Value.GetProperty("operationId").GetString()} {example.Name}", Value: example.Value.GetProperty("value")))
            .Append((Name: "NewEvent", Value: contract.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("NewEvent").GetProperty("example")))
            .ToList();

        examples.Select(example => example.Name).Should().Contain(["AppendEvents event", "AppendEvents events", "NewEvent"]);
        examples.Should().AllSatisfy(example => example.Value.GetRawText().Should().NotContain("eventId", example.Name));
    }

    /// <summary>The DOM of <paramref name="url"/> once it shows at least <paramref name="count"/> elements matching <paramref name="selector"/>.</summary>
    private async Task<string> RenderedDomAsync(Uri url, string selector, int count)
    {
        await using var browser = await chromium.OpenAsync(url);
        await browser.Page.WaitForFunctionAsync(
            "([selector, count]) => document.querySelectorAll(selector).length >= count",
            new object[] { selector, count },
            new PageWaitForFunctionOptions { Timeout = PlaywrightChromium.WaitMilliseconds });
        return await browser.Page.ContentAsync();
    }

    /// <summary>The example value of the request body of the expanded operation <paramref name="blockId"/>, as JSON.</summary>
    private static JsonElement RequestBodyExample(string dom, string blockId)
    {
        var block = dom.IndexOf($"id=\"{blockId}\"", StringComparison.Ordinal);
        block.Should().BeGreaterThan(0, $"the page has the operation {blockId}");
        var body = dom.IndexOf("opblock-section-request-body", block, StringComparison.Ordinal);
        body.Should().BeGreaterThan(0, $"the link expands {blockId} with its request body");
        var example = ExampleValue().Match(dom, body);
        example.Success.Should().BeTrue($"the request body of {blockId} shows an example value");

        // Swagger UI highlights the JSON in spans; the text without them is the body "Try it out" starts from.
        var text = WebUtility.HtmlDecode(Tags().Replace(example.Groups["json"].Value, string.Empty));
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [GeneratedRegex("<pre class=\"body-param__example[^>]*>(?<json>.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ExampleValue();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    private static string ContractPath => Path.Combine(RepositoryPaths.Root, "EventStore.Types", "Contract", "openapi.json");

    private static List<ContractOperation> ContractOperations()
    {
        using var contract = JsonDocument.Parse(File.ReadAllBytes(ContractPath));
        return
        [
            .. from path in contract.RootElement.GetProperty("paths").EnumerateObject()
               from operation in path.Value.EnumerateObject()
               where operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("operationId", out _)
               select new ContractOperation(
                   path.Name,
                   operation.Name,
                   operation.Value.GetProperty("operationId").GetString()!,
                   operation.Value.GetProperty("tags")[0].GetString()!,
                   operation.Value.GetProperty("summary").GetString()!),
        ];
    }

    private sealed record ContractOperation(string Path, string Method, string OperationId, string Tag, string Summary);
}
