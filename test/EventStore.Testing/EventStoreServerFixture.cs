using ServerlessEventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EventStore.Testing;

/// <summary>
/// The real server on Kestrel, on a free loopback port, with a fresh SQLite file of its own; stopped and deleted on
/// dispose. In this process it is the testing package's <see cref="EventStoreTestServer"/>, the one its users get.
/// Use it as an xunit class or collection fixture, or <see cref="Create"/> one with other settings.
/// Subclasses run it on another store (<see cref="DynamoDbServerFixture"/>) by adding configuration in
/// <see cref="ConfigureAsync"/>. When the test run names a published server (<see cref="ServerProcess.ServerVariable"/>,
/// e.g. the native executable), the fixture runs that instead, in its own process, with the same configuration as
/// environment variables; then it has no <see cref="Services"/> and takes no service replacements: tests that need
/// them carry the trait <c>Server=InProcess</c>, so that such a run can leave them out.
/// </summary>
public class EventStoreServerFixture : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _configuration;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly TemporaryDatabase _database = new();
    private EventStoreTestServer? _server;
    private ServerProcess? _process;

    /// <summary>Creates a fixture running the server with its defaults on a temporary SQLite file.</summary>
    public EventStoreServerFixture()
        : this(null, null)
    {
    }

    /// <summary>Creates a fixture with configuration overrides and service replacements (see <see cref="Create"/>).</summary>
    /// <param name="configuration">Configuration keys and values overriding the defaults.</param>
    /// <param name="configureServices">Changes to the server's services, applied after the server's own registrations.</param>
    protected EventStoreServerFixture(IDictionary<string, string?>? configuration, Action<IServiceCollection>? configureServices)
    {
        _configuration = new Dictionary<string, string?> { ["EventStore:Sqlite:Path"] = _database.Path };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            _configuration[key] = value;
        }

        _configureServices = configureServices;
    }

    /// <summary>The configuration the server runs with (once started: with what <see cref="ConfigureAsync"/> added).</summary>
    public IReadOnlyDictionary<string, string?> Configuration => _configuration;

    /// <summary>Address of the running server, with a trailing slash.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running server's services (of a server in this process only).</summary>
    public IServiceProvider Services => _server?.Services
        ?? throw new InvalidOperationException(_process is null ? "The server is not started." : $"The server runs in its own process ({ServerProcess.ServerVariable}); its services are out of reach.");

    /// <summary>
    /// Creates a fixture with configuration overrides (e.g. <c>EventStore:Storage</c>) and service replacements, applied
    /// after the server's own registrations. Start it with <see cref="InitializeAsync"/>.
    /// </summary>
    /// <param name="configuration">Configuration keys and values overriding the defaults.</param>
    /// <param name="configureServices">Changes to the server's services, e.g. replacing the storage.</param>
    /// <returns>The fixture, not yet started.</returns>
    public static EventStoreServerFixture Create(
        IDictionary<string, string?>? configuration = null,
        Action<IServiceCollection>? configureServices = null) =>
        new(configuration, configureServices);

    /// <summary>Creates a client for the server; its base address is <see cref="BaseAddress"/>.</summary>
    /// <returns>A new client; dispose it when done.</returns>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Starts the server.</summary>
    /// <returns>A task completing when the server listens.</returns>
    public async Task InitializeAsync()
    {
        await ConfigureAsync(_configuration);
        if (ServerProcess.IsPublishedServer)
        {
            await StartProcessAsync();
            return;
        }

        var options = new EventStoreTestServerOptions
        {
            EnvironmentName = Environments.Development,
            ConfigureServices = _configureServices,
            ConfigureLogging = logging => logging.AddProvider(UnexpectedErrorLog.Instance),
        };
        foreach (var (key, value) in _configuration)
        {
            options.Settings[key] = value;
        }

        _server = await EventStoreTestServer.StartAsync(options);
        BaseAddress = _server.BaseAddress;
    }

    /// <summary>Stops the server and deletes its database.</summary>
    /// <returns>A task completing when everything is cleaned up.</returns>
    public virtual async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        _database.Dispose();
    }

    /// <summary>The published server in its own process, configured as the in-process one would be.</summary>
    private async Task StartProcessAsync()
    {
        if (_configureServices is not null)
        {
            throw new NotSupportedException(
                $"This test replaces services of the server, which a server in its own process ({ServerProcess.ServerVariable}) does not allow; mark it [Trait(\"Server\", \"InProcess\")].");
        }

        var environment = _configuration
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);
        environment["ASPNETCORE_ENVIRONMENT"] = Environments.Development;
        _process = await ServerProcess.StartAsync(new ServerProcessSettings { Environment = environment });
        BaseAddress = _process.BaseAddress;
    }

    /// <summary>
    /// Adds settings that need asynchronous work first (e.g. starting a local service), before the server is built.
    /// Explicit overrides given to the constructor are already in <paramref name="configuration"/>; keep them.
    /// </summary>
    /// <param name="configuration">The server's configuration, to add to.</param>
    /// <returns>A task completing when the configuration is complete.</returns>
    protected virtual Task ConfigureAsync(IDictionary<string, string?> configuration) => Task.CompletedTask;
}
