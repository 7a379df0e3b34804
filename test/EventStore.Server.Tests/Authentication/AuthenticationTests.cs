using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Authentication;

/// <summary>A server with <c>EventStore:Authentication</c> on (API keys and bearer tokens), on both stores.</summary>
public abstract class AuthenticationTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _anonymous = server.CreateHttpClient();
    private readonly HttpClient _authorized = Client(server, new AuthenticationHeaderValue("ApiKey", AuthenticatedServer.ApiKey));

    public void Dispose()
    {
        _anonymous.Dispose();
        _authorized.Dispose();
    }

    [Fact]
    public async Task Append_NoCredentials_Returns401ProblemWithChallengesAndStoresNothing()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await _anonymous.PutAsync(new Uri($"streams/{type}/{id}/events/1", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("type").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("title").GetString().Should().Be("Unauthorized");
        problem.GetProperty("detail").GetString().Should().Contain("API key").And.Contain("bearer token");
        response.Headers.WwwAuthenticate.Select(challenge => challenge.Scheme).Should().BeEquivalentTo("ApiKey", "Bearer");
        await ShouldBeUnknownAsync(type, id);
    }

    [Theory]
    [MemberData(nameof(Credentials.Invalid), MemberType = typeof(Credentials))]
    public async Task Append_InvalidCredentials_Returns401AndStoresNothing(string header, string value)
    {
        var (type, id) = (NewType(), Guid.NewGuid());
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"streams/{type}/{id}/events/1", UriKind.Relative))
        {
            Content = Json($$"""{"event":{{EventJson()}}}"""),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await _anonymous.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().NotBeEmpty();
        await ShouldBeUnknownAsync(type, id);
    }

    [Theory]
    [MemberData(nameof(Credentials.Valid), MemberType = typeof(Credentials))]
    public async Task Append_ValidCredentials_Returns201AndStoresTheEvent(string header, string value)
    {
        var (type, id, eventId) = (NewType(), Guid.NewGuid(), Guid.NewGuid());
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"streams/{type}/{id}/events/1", UriKind.Relative))
        {
            Content = Json($$"""{"event":{{EventJson(eventId: eventId)}}}"""),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await _anonymous.SendAsync(request);

        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(1);
        using var events = await _authorized.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));
        (await events.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events")[0].GetProperty("eventId").GetGuid().Should().Be(eventId);
    }

    [Fact]
    public async Task EveryEndpointOfTheContract_NoCredentials_Returns401ButTheLivenessCheck()
    {
        var (type, id) = (NewType(), Guid.NewGuid());
        var operations = await ContractOperationsAsync();
        operations.Should().HaveCountGreaterThan(5);

        foreach (var (method, path) in operations)
        {
            var address = path.Replace("{streamType}", type, StringComparison.Ordinal).Replace("{streamId}", id.ToString(), StringComparison.Ordinal)
                .Replace("{streamRevision}", "1", StringComparison.Ordinal).TrimStart('/');
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), new Uri(address, UriKind.Relative));
            if (method is "put" or "post")
            {
                request.Content = Json($$"""{"event":{{EventJson(eventId: Guid.NewGuid())}},"initialEvent":{{EventJson(eventId: Guid.NewGuid())}}}""");
            }

            using var response = await _anonymous.SendAsync(request);

            if (path == "/liveness-check")
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, "the liveness check stays anonymous");
            }
            else
            {
                await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            }
        }

        await ShouldBeUnknownAsync(type, id);
        (await _authorized.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData("liveness-check")]
    [InlineData("openapi/openapi-spec.json")]
    [InlineData("openapi/")]
    [InlineData("openapi/index.html")]
    [InlineData("health/ready")]
    public async Task AnonymousPage_NoCredentials_Returns200(string path)
    {
        using var response = await _anonymous.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Root_NoCredentials_ServesTheStreamBrowserPage()
    {
        using var response = await _anonymous.GetAsync(new Uri("/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
    }

    private static HttpClient Client(TServer server, AuthenticationHeaderValue authorization)
    {
        var client = server.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    private async Task ShouldBeUnknownAsync(string type, Guid id)
    {
        using var details = await _authorized.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative));
        await details.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>The operations of the contract as the server itself serves it (method, path).</summary>
    private async Task<List<(string Method, string Path)>> ContractOperationsAsync()
    {
        using var response = await _anonymous.GetAsync(new Uri("openapi/openapi-spec.json", UriKind.Relative));
        var document = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("paths");
        string[] methods = ["get", "put", "post", "delete", "patch"];
        return
        [
            .. document.EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => methods.Contains(operation.Name) && operation.Value.ValueKind == JsonValueKind.Object)
                .Select(operation => (operation.Name, path.Name))),
        ];
    }
}

/// <summary>Credentials of requests, as header and value, that <see cref="AuthenticatedServer"/> refuses or accepts.</summary>
public static class Credentials
{
    public static TheoryData<string, string> Invalid => new()
    {
        { "X-Api-Key", "not-the-api-key-0123456789" },
        { "Authorization", "ApiKey not-the-api-key-0123456789" },
        { "Authorization", "ApiKey " },
        { "Authorization", "Bearer " + TestTokens.Create(expiresIn: TimeSpan.FromHours(-1)) },
        { "Authorization", "Bearer " + TestTokens.Create(audience: "another-service") },
        { "Authorization", "Bearer " + TestTokens.Create(issuer: "https://another-issuer.test") },
        { "Authorization", "Bearer " + TestTokens.Create(signingKey: new byte[32]) },
        { "Authorization", "Bearer not-a-token" },
        { "Authorization", "Basic dXNlcjpwYXNzd29yZA==" },
    };

    public static TheoryData<string, string> Valid => new()
    {
        { "X-Api-Key", AuthenticatedServer.ApiKey },
        { "Authorization", "ApiKey " + AuthenticatedServer.ApiKey },
        { "Authorization", "Bearer " + TestTokens.Create() },
    };
}

public sealed class AuthenticationTestsOnSqlite(AuthenticatedSqliteServer server) : AuthenticationTests<AuthenticatedSqliteServer>(server);

public sealed class AuthenticationTestsOnDynamoDb(AuthenticatedDynamoDbServer server) : AuthenticationTests<AuthenticatedDynamoDbServer>(server);
