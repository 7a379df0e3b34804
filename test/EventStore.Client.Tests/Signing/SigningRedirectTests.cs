using ServerlessEventStore.Client.Aws;
using System.Net;
using System.Net.Http.Json;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessEventStore.Client.Tests.Signing;

/// <summary>
/// A signed request carries the body, the session token and the signature headers; whatever the transport, it must not
/// be sent to any host but the one it was signed for.
/// </summary>
public sealed class SigningRedirectTests
{
    private static readonly AWSCredentials SessionCredentials = new SessionAWSCredentials(
        SignedEventStoreFixture.SessionAccessKey, SignedEventStoreFixture.SessionSecretKey, SignedEventStoreFixture.SessionToken);

    private static readonly object Body = new { initialEvent = new { eventType = "order-placed", payload = new { customer = "ACME" } } };

    [Theory]
    [InlineData(nameof(SocketsHttpHandler))]
    [InlineData(nameof(HttpClientHandler))]
    public async Task AddAwsSigV4Signing_PrimaryHandlerConfiguredAfterwards_DoesNotFollowARedirectToAnotherHost(string transport)
    {
        await using var hosts = await RedirectToAnotherHost.StartAsync();
        var services = new ServiceCollection();
        services.AddEventStoreClient(options => options.BaseAddress = hosts.EventStoreAddress)
            .AddAwsSigV4Signing(options =>
            {
                options.Region = SignedEventStoreFixture.Region;
                options.Credentials = SessionCredentials;
            })
            .ConfigurePrimaryHttpMessageHandler(() => Transport(transport));
        await using var provider = services.BuildServiceProvider();
        var httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(EventStoreClient));

        using var response = await httpClient.PostAsJsonAsync(new Uri($"streams/t-{Guid.NewGuid():N}", UriKind.Relative), Body);

        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect, "the redirect is handed back, not followed");
        hosts.AtEventStore.Should().ContainSingle().Which.HeaderNames.Should().Contain(["authorization", "x-amz-security-token"]);
        hosts.AtOtherHost.Should().BeEmpty("nothing of the signed request reaches the other host");
    }

    [Theory]
    [InlineData(nameof(SocketsHttpHandler))]
    [InlineData(nameof(HttpClientHandler))]
    [InlineData("SocketsHttpHandler behind a delegating handler")]
    public async Task AwsSigV4SigningHandler_TransportFollowsRedirects_RefusesAndSendsNothing(string transport)
    {
        await using var hosts = await RedirectToAnotherHost.StartAsync();
        using var httpClient = SigningClientWithoutDependencyInjection(Transport(transport));

        var act = () => httpClient.PostAsJsonAsync(new Uri(hosts.EventStoreAddress, $"streams/t-{Guid.NewGuid():N}"), Body);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*follows redirects*AllowAutoRedirect = false*");
        hosts.AtEventStore.Should().BeEmpty("the request is refused before anything is sent");
        hosts.AtOtherHost.Should().BeEmpty();
    }

    [Fact]
    public async Task AwsSigV4SigningHandler_UnknownTransport_RefusesAndSendsNothing()
    {
        await using var hosts = await RedirectToAnotherHost.StartAsync();
        using var httpClient = SigningClientWithoutDependencyInjection(new OpaqueTransport());

        var act = () => httpClient.PostAsJsonAsync(new Uri(hosts.EventStoreAddress, $"streams/t-{Guid.NewGuid():N}"), Body);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("AllowUnknownTransport");
        hosts.AtEventStore.Should().BeEmpty();
        hosts.AtOtherHost.Should().BeEmpty();
    }

    [Fact]
    public async Task AwsSigV4SigningHandler_UnknownTransportAllowedFollowedARedirectToAnotherHost_Throws()
    {
        await using var hosts = await RedirectToAnotherHost.StartAsync();
        using var httpClient = SigningClientWithoutDependencyInjection(new OpaqueTransport(), allowUnknownTransport: true);

        var act = () => httpClient.PostAsJsonAsync(new Uri(hosts.EventStoreAddress, $"streams/t-{Guid.NewGuid():N}"), Body);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain(hosts.EventStoreAddress.Authority).And.Contain(hosts.OtherHostAddress.Authority);
        hosts.AtEventStore.Should().ContainSingle();
    }

    private static HttpClient SigningClientWithoutDependencyInjection(HttpMessageHandler transport, bool allowUnknownTransport = false) =>
        new(new AwsSigV4SigningHandler(new AwsSigV4SigningOptions
        {
            Region = SignedEventStoreFixture.Region,
            Credentials = SessionCredentials,
            AllowUnknownTransport = allowUnknownTransport,
        })
        {
            InnerHandler = transport,
        });

    private static HttpMessageHandler Transport(string kind) => kind switch
    {
        nameof(SocketsHttpHandler) => new SocketsHttpHandler(),
        nameof(HttpClientHandler) => new HttpClientHandler(),
        "SocketsHttpHandler behind a delegating handler" => new PassThroughHandler { InnerHandler = new SocketsHttpHandler() },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private sealed class PassThroughHandler : DelegatingHandler;

    /// <summary>A transport the signing handler cannot look into: it follows redirects with a handler of its own.</summary>
    private sealed class OpaqueTransport : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            _invoker.Dispose();
            base.Dispose(disposing);
        }
    }
}
