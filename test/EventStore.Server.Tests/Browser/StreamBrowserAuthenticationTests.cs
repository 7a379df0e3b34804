using System.Net;
using System.Text.Json;
using EventStore.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>
/// The stream browser of a server that requires an API key: the page loads anonymously, the 401 of its first read asks
/// for the key, and with it the stored streams show; the key stays in the tab (session storage), not in the address.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class StreamBrowserAuthenticationTests(PlaywrightChromium chromium) : IAsyncLifetime
{
    private const string ApiKey = "browser-key-0123456789abcdef";

    private readonly EventStoreServerFixture _server = EventStoreServerFixture.Create(new Dictionary<string, string?>
    {
        ["EventStore:Authentication:Mode"] = "ApiKey",
        ["EventStore:Authentication:ApiKeys:0"] = ApiKey,
    });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task StreamTypes_ServerRequiresAnApiKey_AskForItAndShowTheTypesWithIt()
    {
        var type = $"t{Guid.NewGuid():N}";
        using (var http = _server.CreateHttpClient())
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            using var appended = await http.PutAsync(
                new Uri($"streams/{type}/{Guid.NewGuid()}/events/1", UriKind.Relative),
                Json(JsonSerializer.Serialize(new { @event = new { eventType = "created", payload = new { } } })));
            await appended.ReadJsonAsync(HttpStatusCode.Created);
        }

        await using var browser = await chromium.OpenAsync(_server.BaseAddress);
        var page = browser.Page;

        await Expect(page.Locator("main .problem")).ToContainTextAsync("Status 401");
        await browser.ScreenshotAsync("authentication-asked");
        await page.Locator("#credential-scheme").SelectOptionAsync("ApiKey");
        await page.Locator("#credential-value").FillAsync(ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = type, Exact = true })).ToBeVisibleAsync();
        page.Url.Should().NotContain(ApiKey);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = type, Exact = true })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("authentication-given");
    }

    [Fact]
    public async Task StreamTypes_WrongApiKey_AskAgain()
    {
        await using var browser = await chromium.OpenAsync(_server.BaseAddress);
        var page = browser.Page;
        await Expect(page.Locator("#credential-value")).ToBeVisibleAsync();

        await page.Locator("#credential-value").FillAsync("not-the-key-0123456789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use", Exact = true }).ClickAsync();

        await Expect(page.Locator("#credential-forget")).ToBeVisibleAsync();
        await Expect(page.Locator("main .problem")).ToContainTextAsync("Status 401");
    }
}
