using Microsoft.Extensions.Http.Resilience;
using EventStore.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

public sealed class ServiceCollectionTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    [Fact]
    public async Task AddEventStoreClient_WithDelegate_ResolvesWorkingClient()
    {
        var services = new ServiceCollection();
        services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<EventStoreClient>();
        var created = await client.CreateStreamAsync(NewStreamType(), CountedEvent(1));

        (await client.GetStreamAsync(created.StreamType, created.StreamId)).Revision.Should().Be(1);
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(EventStoreClient)).BaseAddress
            .Should().Be(fixture.BaseAddress);
    }

    [Fact]
    public async Task AddEventStoreClient_WithConfigurationSection_BindsBaseAddressAndPageSize()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EventStore:BaseAddress"] = fixture.BaseAddress.ToString(),
                ["EventStore:PageSize"] = "2",
            })
            .Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(configuration.GetSection("EventStore"));
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<EventStoreClient>();
        var streamType = NewStreamType();
        var streamId = await client.CreateStreamWithEventsAsync(streamType, 3);
        var pages = await client.GetEventsAsync(streamType, streamId).AsPages().ToListAsync();

        pages.Select(p => p.Values.Count).Should().Equal(2, 1);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddEventStoreClient_TwoNamedStores_EachKeyedClientGoesToItsOwnStore()
    {
        await using var other = EventStoreServerFixture.Create();
        await other.InitializeAsync();
        var services = new ServiceCollection();
        services.AddEventStoreClient("orders", options => options.BaseAddress = fixture.BaseAddress);
        services.AddEventStoreClient("billing", options => options.BaseAddress = other.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        var orders = provider.GetRequiredKeyedService<EventStoreClient>("orders");
        var billing = provider.GetRequiredKeyedService<EventStoreClient>("billing");
        var created = await billing.CreateStreamAsync(NewStreamType(), CountedEvent(1));

        (await billing.GetStreamAsync(created.StreamType, created.StreamId)).Revision.Should().Be(1);
        var inOrders = () => orders.GetStreamAsync(created.StreamType, created.StreamId);
        await inOrders.Should().ThrowAsync<StreamNotFoundException>("the stream was created in the other store");
        provider.GetService<EventStoreClient>().Should().BeNull("named registrations are resolved by their key only");
    }

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("ftp://localhost:5080/")]
    public async Task AddEventStoreClient_BaseAddressNotHttp_FailsAtStartupSayingSo(string address)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(options => options.BaseAddress = new Uri(address));
        using var host = builder.Build();

        var thrown = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();

        thrown.Which.Message.Should().Contain("absolute http or https URI");
    }

    [Fact]
    public void Constructor_BaseAddressNotHttp_ThrowsNamingTheAddress()
    {
        var create = () => new EventStoreClient(new HttpClient(), new EventStoreClientOptions { BaseAddress = new Uri("localhost:5080") });

        create.Should().Throw<ArgumentException>().WithMessage("*localhost:5080*not an absolute http or https URI*");
    }

    [Fact]
    public async Task AddEventStoreClient_MissingBaseAddress_FailsAtStartup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(options => options.PageSize = 10);
        using var host = builder.Build();

        var thrown = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();

        thrown.Which.Message.Should().Contain(nameof(EventStoreClientOptions.BaseAddress));
    }

    [Fact]
    public async Task AddEventStoreClient_PageSizeZero_FailsAtStartup()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["BaseAddress"] = "http://event-store.invalid/",
                ["PageSize"] = "0",
            })
            .Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(configuration);
        using var host = builder.Build();

        var thrown = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();

        thrown.Which.Message.Should().Contain(nameof(EventStoreClientOptions.PageSize));
        FluentActions.Invoking(() => host.Services.GetRequiredService<EventStoreClient>())
            .Should().Throw<OptionsValidationException>();
    }

    [Fact]
    public async Task AddEventStoreClient_RelativeBaseAddress_FailsAtStartup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(options => options.BaseAddress = new Uri("events/", UriKind.Relative));
        using var host = builder.Build();

        await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();
    }

    [Fact]
    public async Task AddEventStoreClient_Transient503_IsRetriedByResilienceHandler()
    {
        var faultOnce = new FaultOnceHandler { InnerHandler = new SocketsHttpHandler() };
        var services = new ServiceCollection();
        services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => faultOnce);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();

        var created = await client.CreateStreamAsync(NewStreamType(), CountedEvent(1));

        created.Revision.Should().Be(1);
        faultOnce.Count.Should().Be(2);
    }

    [Fact]
    public async Task AddEventStoreClient_ResilienceOptionsConfiguredUnderTheirDocumentedName_TakeEffect()
    {
        var faultOnce = new FaultOnceHandler { InnerHandler = new SocketsHttpHandler() };
        var services = new ServiceCollection();
        services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => faultOnce);
        services.Configure<HttpStandardResilienceOptions>(
            $"{EventStoreClientServiceCollectionExtensions.DefaultName}-standard", options => options.Retry.ShouldHandle = _ => ValueTask.FromResult(false));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();

        var thrown = await FluentActions.Awaiting(() => client.CreateStreamAsync(NewStreamType(), CountedEvent(1)))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(503, "the retry strategy was told to handle nothing");
        faultOnce.Count.Should().Be(1);
    }

    [Fact]
    public async Task AddEventStoreClient_ResilienceHandlersRemoved_503Surfaces()
    {
        var faultOnce = new FaultOnceHandler { InnerHandler = new SocketsHttpHandler() };
        var services = new ServiceCollection();
#pragma warning disable EXTEXP0001 // experimental in Microsoft.Extensions.Http.Resilience; the documented way to opt out
        services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => faultOnce)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();

        var thrown = await FluentActions.Awaiting(() => client.CreateStreamAsync(NewStreamType(), CountedEvent(1)))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(503);
        thrown.Which.RequestId.Should().Be("fault-1");
        faultOnce.Count.Should().Be(1);
    }
}
