using System.Net;
using EventStore.Testing;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Authentication;

/// <summary>
/// Without authentication the server serves loopback only: configured to listen anywhere else, it refuses to start,
/// naming the address and the setting that allows it.
/// </summary>
public sealed class NonLoopbackStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string, string> NonLoopbackSettings => new()
    {
        // The listening setting, its value, the address named in the message, the setting named there.
        { "--urls", "http://0.0.0.0:0", "http://0.0.0.0:0", "(urls)" },
        { "ASPNETCORE_URLS", "http://127.0.0.1:0;http://+:0", "http://+:0", "(urls)" },
        { "ASPNETCORE_URLS", "http://[::]:0", "http://[::]:0", "(urls)" },
        { "ASPNETCORE_URLS", "http://events.example.com:0", "http://events.example.com:0", "(urls)" },
        { "Kestrel__Endpoints__Public__Url", "http://0.0.0.0:0", "http://0.0.0.0:0", "(Kestrel:Endpoints:Public:Url)" },
        { "ASPNETCORE_HTTP_PORTS", "0", "http://*:0", "(http_ports)" },
    };

    [Theory]
    [MemberData(nameof(NonLoopbackSettings))]
    public async Task Start_NonLoopbackWithoutAuthentication_ExitsWithCodeOneNamingTheAddressAndTheSwitch(
        string setting, string value, string address, string named)
    {
        var environment = new Dictionary<string, string>();
        string[] arguments = [];
        if (setting.StartsWith("--", StringComparison.Ordinal))
        {
            arguments = [setting, value];
        }
        else
        {
            environment[setting] = value;
            if (setting == "ASPNETCORE_HTTP_PORTS")
            {
                // The ports count only where no URLs are given.
                environment["ASPNETCORE_URLS"] = string.Empty;
            }
        }

        var (exitCode, output) = await ServerProcess.RunToExitAsync(new ServerProcessSettings { Environment = environment, Arguments = arguments }, StartTimeout);

        exitCode.Should().Be(1, output);
        var message = output.Split('\n').Should().ContainSingle(line => line.StartsWith("The event store could not start:", StringComparison.Ordinal)).Which;
        message.Should().Contain($"listens on {address} {named}, which is not loopback")
            .And.Contain("EventStore:Authentication:Mode")
            .And.Contain("EventStore:Authentication:AllowAnonymousNonLoopback=true");
    }

    [Fact]
    public async Task Start_NonLoopbackWithAnonymousAllowed_Serves()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessSettings
        {
            AdditionalUrls = ["http://0.0.0.0:0"],
            Environment = new Dictionary<string, string> { ["EventStore__Authentication__AllowAnonymousNonLoopback"] = "true" },
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync(new Uri($"streams/t-{Guid.NewGuid():N}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Start_NonLoopbackWithApiKeys_ServesOnlyWithAKey()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessSettings
        {
            AdditionalUrls = ["http://0.0.0.0:0"],
            Environment = new Dictionary<string, string>
            {
                ["EventStore__Authentication__Mode"] = "ApiKey",
                ["EventStore__Authentication__ApiKeys__0"] = AuthenticatedServer.ApiKey,
            },
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var path = new Uri($"streams/t-{Guid.NewGuid():N}", UriKind.Relative);

        using var anonymous = await http.GetAsync(path);
        http.DefaultRequestHeaders.Add("X-Api-Key", AuthenticatedServer.ApiKey);
        using var authorized = await http.GetAsync(path);

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        authorized.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public static TheoryData<Dictionary<string, string?>, string> InvalidSettings => new()
    {
        { new() { ["EventStore:Authentication:Mode"] = "Kerberos" }, "EventStore:Authentication:Mode must be 'None', 'ApiKey', 'JwtBearer'" },
        { new() { ["EventStore:Authentication:Mode"] = "ApiKey" }, "EventStore:Authentication:ApiKeys must list at least one key" },
        { new() { ["EventStore:Authentication:Mode"] = "ApiKey", ["EventStore:Authentication:ApiKeys:0"] = "short" }, "at least 16 characters" },
        { new() { ["EventStore:Authentication:Mode"] = "JwtBearer" }, "EventStore:Authentication:JwtBearer:Audience is required" },
        { new() { ["EventStore:Authentication:Mode"] = "JwtBearer", ["EventStore:Authentication:JwtBearer:Audience"] = "a" }, "needs either Authority" },
        {
            new() { ["EventStore:Authentication:Mode"] = "JwtBearer", ["EventStore:Authentication:JwtBearer:Audience"] = "a", ["EventStore:Authentication:JwtBearer:SigningKey"] = "c2hvcnQ=" },
            "SigningKey must be base64 of at least 32 bytes"
        },
        {
            new() { ["EventStore:Authentication:Mode"] = "JwtBearer", ["EventStore:Authentication:JwtBearer:Audience"] = "a", ["EventStore:Authentication:JwtBearer:Authority"] = "http://issuer.test" },
            "Authority must be an absolute https URI"
        },
        { new() { ["urls"] = "http://127.0.0.1:0;http://0.0.0.0:0" }, "listens on http://0.0.0.0:0 (urls), which is not loopback" },
    };

    [Trait("Server", "InProcess")]
    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task StartUp_InvalidAuthenticationSettings_FailsWithClearMessage(Dictionary<string, string?> configuration, string message)
    {
        var fixture = EventStoreServerFixture.Create(configuration);
        try
        {
            var start = fixture.InitializeAsync;

            (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(message);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Trait("Server", "InProcess")]
    [Fact]
    public async Task StartUp_NonLoopbackWithAnonymousAllowed_Starts()
    {
        var fixture = EventStoreServerFixture.Create(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0;http://0.0.0.0:0",
            ["EventStore:Authentication:AllowAnonymousNonLoopback"] = "true",
        });
        try
        {
            await fixture.InitializeAsync();
            using var client = fixture.CreateHttpClient();

            (await client.GetAsync(new Uri("liveness-check", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
