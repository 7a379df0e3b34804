using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Testing.Tests;

/// <summary>The testing package as a consumer's test uses it: start, append and read through its client, stop, clean up.</summary>
public sealed class EventStoreTestServerTests
{
    [Fact]
    public async Task StartAsync_Defaults_ServesTheClientOnLoopbackFromATemporaryFile()
    {
        var store = await EventStoreTestServer.StartAsync();
        var orderId = Guid.NewGuid();
        string folder;
        await using (store)
        {
            store.BaseAddress.Host.Should().Be("127.0.0.1");
            var created = await store.Client.CreateStreamAsync("order", orderId, NewEvent.Create("order-placed", new { Customer = "ACME" }));
            await store.Client.AppendAsync("order", orderId, created.Revision, NewEvent.Create("order-shipped", new { TrackingCode = "ZX-1" }));

            var events = new List<RecordedEvent>();
            await foreach (var recorded in store.Client.GetEventsAsync("order", orderId))
            {
                events.Add(recorded);
            }

            events.Select(e => (e.Revision, e.EventType)).Should().Equal((1, "order-placed"), (2, "order-shipped"));
            File.Exists(store.DatabasePath).Should().BeTrue();
            folder = Path.GetDirectoryName(store.DatabasePath)!;
            folder.Should().StartWith(Path.GetTempPath());
        }

        Directory.Exists(folder).Should().BeFalse("disposing the server deletes its temporary folder");
    }

    [Fact]
    public async Task StartAsync_ReadmeExample_AppendsAndReadsBack()
    {
        // README testing package begins
        await using var store = await EventStoreTestServer.StartAsync();

        var orderId = Guid.NewGuid();
        await store.Client.CreateStreamAsync("order", orderId, NewEvent.Create("order-placed", new { Customer = "ACME" }));
        var stream = await store.Client.GetStreamAsync("order", orderId);
        // README testing package ends

        stream.Revision.Should().Be(1);
    }

    [Fact]
    public async Task StartAsync_TwoServers_AreApartAndOnTheirOwnPorts()
    {
        await using var first = await EventStoreTestServer.StartAsync();
        await using var second = await EventStoreTestServer.StartAsync();
        var streamId = Guid.NewGuid();

        await first.Client.CreateStreamAsync("order", streamId, NewEvent.Create("order-placed", new { }));

        first.BaseAddress.Should().NotBe(second.BaseAddress);
        second.DatabasePath.Should().NotBe(first.DatabasePath);
        var read = () => second.Client.GetStreamAsync("order", streamId);
        await read.Should().ThrowAsync<StreamNotFoundException>();
    }

    [Fact]
    public async Task StartAsync_DataFolder_IsKeptAndReopenedByTheNextServer()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"eventstore-kept-{Guid.NewGuid():N}");
        var streamId = Guid.NewGuid();
        try
        {
            await using (var first = await EventStoreTestServer.StartAsync(new EventStoreTestServerOptions { DataFolder = folder }))
            {
                await first.Client.CreateStreamAsync("order", streamId, NewEvent.Create("order-placed", new { }));
            }

            await using var second = await EventStoreTestServer.StartAsync(new EventStoreTestServerOptions { DataFolder = folder });
            (await second.Client.GetStreamAsync("order", streamId)).Revision.Should().Be(1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_ReplacedTimeProvider_StampsEventsWithTheTestsClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var store = await EventStoreTestServer.StartAsync(
            new EventStoreTestServerOptions { ConfigureServices = services => services.AddSingleton<TimeProvider>(clock) });

        var stream = await store.Client.CreateStreamAsync("order", Guid.NewGuid(), NewEvent.Create("order-placed", new { }));

        stream.UpdatedAt.Should().Be(clock.GetUtcNow());
        store.Services.GetRequiredService<TimeProvider>().Should().BeSameAs(clock);
    }

    [Fact]
    public async Task StartAsync_InvalidSetting_FailsSayingWhichAndLeavesNothingRunning()
    {
        var options = new EventStoreTestServerOptions();
        options.Settings["EventStore:Storage"] = "Cassandra";

        var start = () => EventStoreTestServer.StartAsync(options);

        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage("EventStore:Storage must be 'Sqlite'*");
    }

    [Fact]
    public async Task StartAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var start = () => EventStoreTestServer.StartAsync(cancelled.Token);

        await start.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ConfigureLogging_AProvider_ReceivesTheServersLog()
    {
        var logged = new List<string>();
        await using var store = await EventStoreTestServer.StartAsync(
            new EventStoreTestServerOptions { ConfigureLogging = logging => logging.AddProvider(new ListLoggerProvider(logged)) });

        lock (logged)
        {
            logged.Should().Contain(line => line.StartsWith("Embedded store (SQLite): ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task CreateHttpClient_RawRequest_ReachesTheServerAndEndsWithIt()
    {
        var store = await EventStoreTestServer.StartAsync();
        HttpClient http;
        await using (store)
        {
            http = store.CreateHttpClient();
            (await http.GetAsync(new Uri("liveness-check", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var afterwards = () => http.GetAsync(new Uri("liveness-check", UriKind.Relative));
        await afterwards.Should().ThrowAsync<ObjectDisposedException>();
        store.Invoking(s => s.CreateHttpClient()).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task CreateClient_Options_AreTheClientsWithTheServersAddress()
    {
        await using var store = await EventStoreTestServer.StartAsync();
        var client = store.CreateClient(options => options.PageSize = 1);
        var streamId = Guid.NewGuid();
        await client.AppendAsync("order", streamId, ExpectedRevision.NoStream, [NewEvent.Create("a", new { }), NewEvent.Create("b", new { })]);

        var pages = new List<int>();
        await foreach (var page in client.GetEventsAsync("order", streamId).AsPages())
        {
            pages.Add(page.Values.Count);
        }

        pages.Should().Equal(1, 1);
    }

    [Fact]
    public async Task CreateClient_ApiKeyOfAServerWithAuthentication_IsSentWhileTheDefaultClientIsRefused()
    {
        const string key = "test-key-0123456789abcdef";
        var options = new EventStoreTestServerOptions();
        options.Settings["EventStore:Authentication:Mode"] = "ApiKey";
        options.Settings["EventStore:Authentication:ApiKeys:0"] = key;
        await using var store = await EventStoreTestServer.StartAsync(options);
        var streamId = Guid.NewGuid();

        var anonymous = () => store.Client.CreateStreamAsync("order", streamId, NewEvent.Create("order-placed", new { }));
        (await anonymous.Should().ThrowAsync<EventStoreException>()).Which.Status.Should().Be(401);
        var withKey = store.CreateClient(o => o.ApiKey = key);
        (await withKey.CreateStreamAsync("order", streamId, NewEvent.Create("order-placed", new { }))).Revision.Should().Be(1);
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add(formatter(state, exception));
                }
            }
        }
    }
}
