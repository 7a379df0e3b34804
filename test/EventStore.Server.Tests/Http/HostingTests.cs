using System.Net;
using System.Text.Json;
using EventStore.Testing;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Http;

public sealed class HostingTests(EventStoreServerFixture server) : IClassFixture<EventStoreServerFixture>
{
    [Fact]
    public async Task GetOpenApiDocument_Always_ServesTheContract()
    {
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("openapi/openapi-spec.json", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        document.GetProperty("openapi").GetString().Should().StartWith("3.");
        document.GetProperty("paths").TryGetProperty("/streams/{streamType}/{streamId}/events/{streamRevision}", out _).Should().BeTrue();
    }

    [Fact]
    public async Task GetOpenApiPage_Always_ReturnsHtml()
    {
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("openapi/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task AnyRequest_Always_ReturnsRequestIdHeader()
    {
        using var client = server.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("liveness-check", UriKind.Relative));

        response.Headers.GetValues("X-Request-Id").Should().ContainSingle().Which.Should().NotBeNullOrWhiteSpace();
    }

    [Trait("Server", "InProcess")]
    [Theory]
    [InlineData("MongoDb")]
    [InlineData("Postgres")]
    public async Task StartUp_UnsupportedStorage_FailsWithClearMessage(string storage)
    {
        var fixture = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Storage"] = storage });
        try
        {
            var start = fixture.InitializeAsync;

            (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("EventStore:Storage");
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Trait("Server", "InProcess")]
    [Fact]
    public async Task StartUp_InvalidSqlitePath_FailsValidation()
    {
        var fixture = EventStoreServerFixture.Create(new Dictionary<string, string?> { ["EventStore:Sqlite:Path"] = "" });
        try
        {
            var start = fixture.InitializeAsync;

            await start.Should().ThrowAsync<OptionsValidationException>();
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
