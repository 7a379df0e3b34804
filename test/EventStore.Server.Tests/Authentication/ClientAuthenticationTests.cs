using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Authentication;

/// <summary>
/// <see cref="EventStoreClient"/> as applications register it, with the credentials option, against a server with
/// authentication on, on both stores.
/// </summary>
public abstract class ClientAuthenticationTests<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : EventStoreServerFixture
{
    private readonly AttemptCounter _attempts = new();
    private readonly List<ServiceProvider> _providers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task AppendAndRead_WithApiKey_Succeed()
    {
        var client = Client(options => options.ApiKey = AuthenticatedServer.ApiKey);

        await AppendAndReadAsync(client);
    }

    [Fact]
    public async Task AppendAndRead_WithBearerTokenProvider_SucceedWithATokenPerRequest()
    {
        var calls = 0;
        var client = Client(options => options.BearerTokenProvider = _ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(TestTokens.Create());
        });

        await AppendAndReadAsync(client);

        calls.Should().Be(_attempts.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-api-key-0123456789")]
    public async Task AppendAsync_WithoutValidCredentials_Throws401AndIsNotRetried(string? apiKey)
    {
        var client = Client(options => options.ApiKey = apiKey);
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());

        var append = () => client.CreateStreamAsync(type, id, NewEvent.Create("order-placed", new { Quantity = 1 }));

        var refused = (await append.Should().ThrowAsync<EventStoreException>()).Which;
        refused.Status.Should().Be(401);
        refused.RequestId.Should().NotBeNullOrEmpty();
        _attempts.Count.Should().Be(1, "a 401 is not retried");
        var valid = Client(options => options.ApiKey = AuthenticatedServer.ApiKey, counted: false);
        var read = () => valid.GetStreamAsync(type, id);
        await read.Should().ThrowAsync<StreamNotFoundException>("nothing was stored");
    }

    [Fact]
    public async Task AppendAsync_BearerTokenAndApiKey_SendsTheToken()
    {
        var client = Client(options =>
        {
            options.ApiKey = "not-the-api-key-0123456789";
            options.BearerTokenProvider = _ => ValueTask.FromResult(TestTokens.Create());
        });

        await AppendAndReadAsync(client);
    }

    [Fact]
    public async Task AppendAndRead_WithoutDependencyInjection_HandlerInFrontOfTheTransportAddsTheKey()
    {
        var options = new EventStoreClientOptions { BaseAddress = server.BaseAddress, ApiKey = AuthenticatedServer.ApiKey };
        using var http = new HttpClient(new EventStoreCredentialsHandler(options) { InnerHandler = new SocketsHttpHandler() });

        await AppendAndReadAsync(new EventStoreClient(http, options));
    }

    [Fact]
    public async Task AppendAsync_BearerTokenProviderReturnsNoToken_ThrowsBeforeSending()
    {
        var client = Client(options => options.BearerTokenProvider = _ => ValueTask.FromResult(string.Empty));

        var append = () => client.CreateStreamAsync($"t-{Guid.NewGuid():N}", Guid.NewGuid(), NewEvent.Create("order-placed", new { Quantity = 1 }));

        (await append.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("BearerTokenProvider");
        _attempts.Count.Should().Be(0);
    }

    private static async Task AppendAndReadAsync(EventStoreClient client)
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        var placed = NewEvent.Create("order-placed", new { Quantity = 3 });
        var shipped = NewEvent.Create("order-shipped", new { Carrier = "ACME" });

        var created = await client.CreateStreamAsync(type, id, placed);
        var appended = await client.AppendAsync(type, id, created.Revision, shipped);

        appended.Revision.Should().Be(2);
        var events = await client.GetEventsAsync(type, id).ToListAsync();
        events.Select(e => e.EventId).Should().Equal(placed.EventId, shipped.EventId);
        (await client.GetStreamsAsync(type).ToListAsync()).Should().ContainSingle().Which.StreamId.Should().Be(id);
    }

    private EventStoreClient Client(Action<EventStoreClientOptions> configure, bool counted = true)
    {
        var services = new ServiceCollection();
        var builder = services.AddEventStoreClient(options =>
        {
            options.BaseAddress = server.BaseAddress;
            configure(options);
        });
        if (counted)
        {
            // The counter sits inside the resilience handler, so it sees every attempt the handler makes.
            builder.AddHttpMessageHandler(() => _attempts);
        }

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<EventStoreClient>();
    }
}

public sealed class ClientAuthenticationTestsOnSqlite(AuthenticatedSqliteServer server) : ClientAuthenticationTests<AuthenticatedSqliteServer>(server);

public sealed class ClientAuthenticationTestsOnDynamoDb(AuthenticatedDynamoDbServer server) : ClientAuthenticationTests<AuthenticatedDynamoDbServer>(server);
