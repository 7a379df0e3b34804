using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>The stream browser's files as HTTP sees them: content types, revalidation, and a policy that forbids inline script.</summary>
public abstract partial class StreamBrowserFilesTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("browser/browser.js", "text/javascript")]
    [InlineData("browser/browser.css", "text/css")]
    [InlineData("browser/icon.svg", "image/svg+xml")]
    public async Task Get_PageFile_ServedWithItsTypeNoCacheAndTheSecurityPolicy(string path, string mediaType)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        response.Headers.CacheControl!.NoCache.Should().BeTrue("a browser revalidates, so a new server's page never runs an old script");
        response.Headers.ETag.Should().NotBeNull();
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        var policy = response.Headers.GetValues("Content-Security-Policy").Should().ContainSingle().Subject;
        policy.Should().Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("connect-src 'self'")
            .And.NotContain("unsafe-inline").And.NotContain("unsafe-eval");
        (await response.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("browser/browser.js")]
    public async Task Get_WithTheFilesETag_Returns304WithoutBody(string path)
    {
        using var first = await _client.GetAsync(new Uri(path, UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var stale = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"an-older-version\""));

        using var revalidated = await _client.SendAsync(request);
        using var changed = await _client.SendAsync(stale);

        revalidated.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await revalidated.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
        changed.Headers.ETag.Should().Be(first.Headers.ETag);
    }

    [Fact]
    public async Task GetRoot_Page_HasNoInlineScriptOrStyleAndLinksTheApiPage()
    {
        var html = await _client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().Contain("<script type=\"module\" src=\"browser/browser.js\"></script>").And.Contain("href=\"openapi/\"");
        ScriptElements().Matches(html).Should().AllSatisfy(script => script.Value.Should().Contain(" src="), "every script is a file");
        html.Should().NotMatchRegex(@"\son[a-z]+=", "no inline event handlers").And.NotContain("style=").And.NotContain("<style");
    }

    [Fact]
    public async Task Get_UnknownPageFile_Returns404()
    {
        using var response = await _client.GetAsync(new Uri("browser/unknown.js", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptElements();
}

public sealed class StreamBrowserFilesTestsOnSqlite(EventStoreServerFixture server)
    : StreamBrowserFilesTests<EventStoreServerFixture>(server);

public sealed class StreamBrowserFilesTestsOnDynamoDb(DynamoDbServerFixture server)
    : StreamBrowserFilesTests<DynamoDbServerFixture>(server);
