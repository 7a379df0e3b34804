using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Authentication;

/// <summary>The README's client registrations with credentials, run against a server with authentication on.</summary>
public sealed class ReadmeAuthenticationExampleTests(AuthenticatedSqliteServer server) : IClassFixture<AuthenticatedSqliteServer>
{
    [Fact]
    public async Task ApiKeyRegistration_AsInTheReadme_AppendsAndReads()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventStore:BaseAddress"] = server.BaseAddress.ToString(),
            ["EventStore:ApiKey"] = AuthenticatedServer.ApiKey,
        }).Build();

        // README authentication api key begins
        // "EventStore": { "BaseAddress": "https://events.example.com/", "ApiKey": "…" } (user secrets, environment, a vault)
        services.AddEventStoreClient(configuration.GetSection("EventStore"));
        // README authentication api key ends

        await AppendAndReadAsync(services);
    }

    [Fact]
    public async Task BearerTokenRegistration_AsInTheReadme_AppendsAndReads()
    {
        var services = new ServiceCollection();
        var baseAddress = server.BaseAddress;
        var tokens = new TokenSource();

        // README authentication bearer token begins
        services.AddEventStoreClient(options =>
        {
            options.BaseAddress = baseAddress;
            // Called for every request and retry: hand out a cached token, renewed before it expires.
            options.BearerTokenProvider = cancellationToken => tokens.GetTokenAsync(cancellationToken);
        });
        // README authentication bearer token ends

        await AppendAndReadAsync(services);
        tokens.Calls.Should().BeGreaterThan(1);
    }

    private static async Task AppendAndReadAsync(ServiceCollection services)
    {
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());

        var created = await client.CreateStreamAsync(type, id, NewEvent.Create("order-placed", new { Quantity = 3 }));

        created.Revision.Should().Be(1);
        (await client.GetStreamAsync(type, id)).Revision.Should().Be(1);
    }

    /// <summary>Stands for an OAuth client (client credentials) that caches its token.</summary>
    private sealed class TokenSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(TestTokens.Create());
        }
    }
}
