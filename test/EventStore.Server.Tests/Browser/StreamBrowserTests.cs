using System.Net;
using System.Text.Json;
using EventStore.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// The stream browser at <c>/</c> as a person uses it, in Chromium, on each store: clicked through from a type to a
/// stream to an event, paged, followed live, and fed stored markup that must stay text. Screenshots of each view are
/// kept in <c>.artifacts/browser/</c>.
/// </summary>
public abstract class StreamBrowserTests<TServer>(TServer server, PlaywrightChromium chromium)
    : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly HttpClient _client = server.CreateHttpClient();

    private string Store => server is DynamoDbServerFixture ? "dynamodb" : "sqlite";

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task TypeStreamAndEvent_ClickedThrough_ShowRevisionTypeAndPayload()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        await AppendAsync(type, id, 1,
            new { eventType = "order-placed", payload = new { orderId = "A-1001", lines = new[] { new { sku = "book", quantity = 2 } } }, metadata = new { correlationId = "c-42" } },
            new { eventType = "order-shipped", payload = new { carrier = "DHL" } });
        await using var browser = await chromium.OpenAsync(server.BaseAddress);
        var page = browser.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = type, Exact = true }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync(type);
        await page.GetByRole(AriaRole.Link, new() { Name = id.ToString(), Exact = true }).ClickAsync();
        await Expect(page.Locator("main tbody tr")).ToHaveCountAsync(2);
        await Expect(Row(page, 1).Locator("td").Nth(1)).ToHaveTextAsync("order-placed");
        await Expect(Row(page, 1).Locator("pre").Nth(1)).ToHaveTextAsync(Pretty(new { correlationId = "c-42" }));
        await browser.ScreenshotAsync($"stream-{Store}");
        await Row(page, 2).GetByRole(AriaRole.Link, new() { Name = "2", Exact = true }).ClickAsync();

        await Expect(page.Locator("main h1")).ToHaveTextAsync("Revision 2");
        await Expect(page.Locator("main .facts")).ToContainTextAsync("order-shipped");
        await Expect(page.Locator("main pre").First).ToHaveTextAsync(Pretty(new { carrier = "DHL" }));
        (await page.Locator("main pre").First.TextContentAsync()).Should().Be(Pretty(new { carrier = "DHL" }), "the payload is pretty-printed exactly");
        await Expect(page.Locator("#crumbs li")).ToHaveTextAsync([ "Stream types", type, id.ToString(), "Revision 2" ]);
        await browser.ScreenshotAsync($"event-{Store}");
        await page.ReloadAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Revision 2");
        page.Url.Should().EndWith($"#/streams/{type}/{id}/events/2", "the view is a link that can be bookmarked");
        browser.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task StoredMarkup_InEventTypePayloadAndMetadata_RendersAsTextAndRunsNothing()
    {
        const string script = "<script>window.__pwned = true; alert('script')</script>";
        const string image = "<img src=x onerror=\"window.__pwned = true; alert('img')\">";
        var type = NewType();
        var id = Guid.NewGuid();
        await AppendAsync(type, id, 1, new { eventType = image, payload = new { script, image }, metadata = new { note = script } });
        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{type}/{id}"));
        var page = browser.Page;

        await Expect(Row(page, 1).Locator("td").Nth(1)).ToHaveTextAsync(image);
        await Expect(Row(page, 1).Locator("pre").First).ToHaveTextAsync(Pretty(new { script, image }));
        await Expect(Row(page, 1).Locator("pre").Nth(1)).ToHaveTextAsync(Pretty(new { note = script }));
        await browser.ScreenshotAsync($"markup-{Store}");
        await Row(page, 1).GetByRole(AriaRole.Link, new() { Name = "1", Exact = true }).ClickAsync();
        await Expect(page.Locator("main .facts")).ToContainTextAsync(image);
        await Expect(page.Locator("main pre").First).ToHaveTextAsync(Pretty(new { script, image }));

        (await page.Locator("main img, main script").CountAsync()).Should().Be(0, "stored markup is never parsed as markup");
        (await page.EvaluateAsync<bool>("() => window.__pwned === undefined")).Should().BeTrue("no stored script ran");
        browser.Dialogs.Should().BeEmpty("no stored script ran");
    }

    [Fact]
    public async Task Events_MoreThanAPage_PageOlderAndNewerThroughLinksThatReload()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        // Two pages of 20 and five more.
        await AppendAsync(type, id, 1, [.. Enumerable.Range(1, 45).Select(n => (object)new { eventType = $"step-{n}", payload = new { n } })]);
        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{type}/{id}"));
        var page = browser.Page;

        await ExpectRevisionsAsync(page, 26, 45);
        await Expect(page.Locator("main .live")).ToHaveTextAsync("Following new events");
        await page.GetByRole(AriaRole.Link, new() { Name = "← Older" }).ClickAsync();
        await ExpectRevisionsAsync(page, 6, 25);
        await page.GetByRole(AriaRole.Link, new() { Name = "← Older" }).ClickAsync();
        await ExpectRevisionsAsync(page, 1, 5);
        (await page.GetByRole(AriaRole.Link, new() { Name = "← Older" }).CountAsync()).Should().Be(0, "there is nothing before revision 1");
        await browser.ScreenshotAsync($"paging-{Store}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Newer →" }).ClickAsync();
        await ExpectRevisionsAsync(page, 6, 25);
        (await page.Locator("main .live").CountAsync()).Should().Be(0, "only the newest page follows the stream");
        await page.ReloadAsync();
        await ExpectRevisionsAsync(page, 6, 25);
        await page.GetByRole(AriaRole.Link, new() { Name = "Newer →" }).ClickAsync();
        await ExpectRevisionsAsync(page, 26, 45);
        (await page.GetByRole(AriaRole.Link, new() { Name = "Newer →" }).CountAsync()).Should().Be(0, "revision 45 is the newest");
    }

    [Fact]
    public async Task NewestPage_EventAppendedAfterOpening_AppearsWithoutReload()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        await AppendAsync(type, id, 1, new { eventType = "opened", payload = new { n = 1 } }, new { eventType = "noted", payload = new { n = 2 } });
        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{type}/{id}"));
        var page = browser.Page;
        await ExpectRevisionsAsync(page, 1, 2);
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await AppendAsync(type, id, 3, new { eventType = "late-arrival", payload = new { n = 3 } });

        await Expect(Row(page, 3).Locator("td").Nth(1)).ToHaveTextAsync("late-arrival");
        await ExpectRevisionsAsync(page, 1, 3);
        await Expect(page.Locator("main [data-field=revision]")).ToHaveTextAsync("3");
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).Should().BeTrue("the page was not reloaded");
        await browser.ScreenshotAsync($"live-{Store}");
    }

    [Fact]
    public async Task Payload_NumbersADoubleCannotHold_ShownAsStored()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        using (var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/1", UriKind.Relative),
                   Json("""{"event":{"eventType":"priced","payload":{"price":42.0,"count":12345678901234567891,"ratio":1e3,"plain":7}}}""")))
        {
            await response.ReadJsonAsync(HttpStatusCode.Created);
        }

        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{type}/{id}/events/1"));

        await Expect(browser.Page.Locator("main h1")).ToHaveTextAsync("Revision 1");
        (await browser.Page.Locator("main pre").First.TextContentAsync()).Should().Be(
            "{\n  \"price\": 42.0,\n  \"count\": 12345678901234567891,\n  \"ratio\": 1e3,\n  \"plain\": 7\n}");
    }

    [Fact]
    public async Task StreamTypeEvents_OpenedFromTheStreams_ShowsEveryStreamsEventsAndFollowsNewOnes()
    {
        var type = NewType();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await AppendAsync(type, first, 1, new { eventType = "opened", payload = new { n = 1 } }, new { eventType = "noted", payload = new { n = 2 } });
        await AppendAsync(type, second, 1, new { eventType = "opened", payload = new { n = 3 } });
        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{type}"));
        var page = browser.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Events of every stream of this type →" }).ClickAsync();
        await Expect(page.Locator("main tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("main .live")).ToHaveTextAsync("Following new events");
        await AppendAsync(type, second, 2, new { eventType = "late-arrival", payload = new { n = 4 } });

        var late = page.Locator($"main tbody tr[data-stream='{second}'][data-revision='2']");
        await Expect(late.Locator("td").Nth(2)).ToHaveTextAsync("late-arrival");
        await Expect(page.Locator("main tbody tr")).ToHaveCountAsync(4);
        page.Url.Should().EndWith($"#/streams/{type}/events");
        await browser.ScreenshotAsync($"type-events-{Store}");
    }

    [Fact]
    public async Task UnknownStream_Opened_ShowsTheProblemTitle()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        await AppendAsync(type, Guid.NewGuid(), 1, new { eventType = "other", payload = 1 });
        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{type}/{id}"));

        await Expect(browser.Page.Locator("main .problem h1")).ToHaveTextAsync(problem.GetProperty("title").GetString()!);
        await Expect(browser.Page.Locator("main .problem")).ToContainTextAsync("Status 404");
        await browser.ScreenshotAsync($"problem-{Store}");
    }

    [Fact]
    public async Task StreamTypeWithoutStreams_Opened_ShowsTheEmptyState()
    {
        await using var browser = await chromium.OpenAsync(new Uri(server.BaseAddress, $"#/streams/{NewType()}"));

        await Expect(browser.Page.Locator("main .empty")).ToHaveTextAsync("No streams of this type yet.");
    }

    [Fact]
    public async Task StreamTypes_Opened_ListsTypesAndLinksToTheApiPage()
    {
        var type = NewType();
        await AppendAsync(type, Guid.NewGuid(), 1, new { eventType = "created", payload = new { } });
        await using var browser = await chromium.OpenAsync(server.BaseAddress);
        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = type, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("header.site")).ToContainTextAsync("ServerlessEventStore");
        await browser.ScreenshotAsync($"types-{Store}");

        await page.GetByRole(AriaRole.Link, new() { Name = "API", Exact = true }).ClickAsync();

        await Expect(page).ToHaveTitleAsync("ServerlessEventStore API");
        await Expect(page.Locator(".opblock").First).ToBeVisibleAsync();
    }

    private static ILocator Row(IPage page, int revision) => page.Locator($"main tbody tr[data-revision='{revision}']");

    /// <summary>Waits for the events view to show exactly revisions <paramref name="first"/> to <paramref name="last"/>, in order.</summary>
    private static async Task ExpectRevisionsAsync(IPage page, int first, int last)
    {
        var revisions = Enumerable.Range(first, last - first + 1).Select(revision => revision.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await Expect(page.Locator("main tbody tr td:first-child")).ToHaveTextAsync(revisions);
    }

    /// <summary>JSON as the page pretty-prints it (two spaces, like <c>JSON.stringify(value, null, 2)</c>).</summary>
    private static string Pretty<T>(T value) =>
        JsonSerializer.Serialize(value, PrettyJson);

    private async Task AppendAsync(string type, Guid id, int revision, params object[] events)
    {
        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json(JsonSerializer.Serialize(new { events })));
        await response.ReadJsonAsync(HttpStatusCode.Created);
    }
}

[Collection(BrowserTests.Name)]
public sealed class StreamBrowserTestsOnSqlite(EventStoreServerFixture server, PlaywrightChromium chromium)
    : StreamBrowserTests<EventStoreServerFixture>(server, chromium);

[Collection(BrowserTests.Name)]
public sealed class StreamBrowserTestsOnDynamoDb(DynamoDbServerFixture server, PlaywrightChromium chromium)
    : StreamBrowserTests<DynamoDbServerFixture>(server, chromium);
