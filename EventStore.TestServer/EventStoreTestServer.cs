using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Hosting;
using ServerlessEventStore.Server.Storage.Sqlite;

namespace ServerlessEventStore.Testing;

/// <summary>
/// The real ServerlessEventStore server, started inside the test process: the same endpoints, validation, problem
/// details and append rules as the deployed server, on Kestrel on a free loopback port, with the embedded store in a
/// temporary file. Start one per test class (or per test: it starts in well under a second) and dispose it at the end;
/// streams with fresh ids keep tests apart.
/// </summary>
/// <example>
/// <code>
/// await using var store = await EventStoreTestServer.StartAsync();
/// var created = await store.Client.CreateStreamAsync("order", Guid.NewGuid(), new NewEvent("order-placed", payload));
/// </code>
/// </example>
public sealed class EventStoreTestServer : IAsyncDisposable
{
    private const string DatabasePathKey = $"{SqliteStorageOptions.SectionName}:{nameof(SqliteStorageOptions.Path)}";

    private readonly WebApplication _app;
    private readonly string? _temporaryFolder;
    private readonly List<HttpClient> _httpClients = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    private EventStoreTestServer(WebApplication app, Uri baseAddress, string databasePath, string? temporaryFolder)
    {
        _app = app;
        BaseAddress = baseAddress;
        DatabasePath = databasePath;
        _temporaryFolder = temporaryFolder;
        Client = CreateClient();
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c> (with a trailing slash), for other clients.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of the server with default options (no retries: a test sees every answer as it is).</summary>
    public EventStoreClient Client { get; }

    /// <summary>The embedded store's file.</summary>
    public string DatabasePath { get; }

    /// <summary>The server's services, e.g. to reach a replaced <see cref="TimeProvider"/>.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server with the default settings: the embedded store in a new temporary folder, no logging.</summary>
    /// <param name="cancellationToken">Cancels the start; the server is then stopped and its folder deleted.</param>
    /// <returns>The running server; dispose it to stop it and delete its data.</returns>
    public static Task<EventStoreTestServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(null, cancellationToken);

    /// <summary>Starts a server with <paramref name="options"/>.</summary>
    /// <param name="options">Settings, data folder, logging and service changes; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start; the server is then stopped and its temporary folder deleted.</param>
    /// <returns>The running server; dispose it to stop it and delete its temporary data.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid; the message names it.</exception>
    /// <remarks>Whatever else keeps the server from starting is thrown as the server's host throws it.</remarks>
    public static async Task<EventStoreTestServer> StartAsync(EventStoreTestServerOptions? options, CancellationToken cancellationToken = default)
    {
        options ??= new EventStoreTestServerOptions();
        var temporaryFolder = options.DataFolder is null ? Directory.CreateTempSubdirectory("serverlesseventstore-test-").FullName : null;
        var dataFolder = options.DataFolder is null ? temporaryFolder! : Directory.CreateDirectory(options.DataFolder).FullName;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{EventStoreServerOptions.SectionName}:{nameof(EventStoreServerOptions.Storage)}"] = EventStoreServerOptions.SqliteStorage,
            [DatabasePathKey] = Path.Combine(dataFolder, SqliteStorageOptions.FileName),
            // A free loopback port.
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        WebApplication? app = null;
        try
        {
            app = Build(options, settings, dataFolder);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EventStoreTestServer(app, new Uri(address.TrimEnd('/') + "/"), settings[DatabasePathKey]!, temporaryFolder);
        }
        catch
        {
            if (app is not null)
            {
                // A host that failed to start can't be stopped; disposing it releases what it holds.
                await app.DisposeAsync().ConfigureAwait(false);
            }

            DeleteFolder(temporaryFolder);
            throw;
        }
    }

    /// <summary>Creates another client of the server, e.g. with other options; it is disposed with the server.</summary>
    /// <param name="configure">
    /// Changes to the client's options; the base address is the server's unless set here. Credentials set here
    /// (<see cref="EventStoreClientOptions.ApiKey"/>, <see cref="EventStoreClientOptions.BearerTokenProvider"/>) go
    /// with every request, for a server started with <c>EventStore:Authentication</c> settings.
    /// </param>
    /// <returns>The client.</returns>
    /// <exception cref="ObjectDisposedException">The server is disposed.</exception>
    public EventStoreClient CreateClient(Action<EventStoreClientOptions>? configure = null)
    {
        var options = new EventStoreClientOptions();
        configure?.Invoke(options);
        var http = options.ApiKey is null && options.BearerTokenProvider is null
            ? new HttpClient()
            : new HttpClient(new EventStoreCredentialsHandler(options) { InnerHandler = new HttpClientHandler() });
        return new EventStoreClient(Track(http), options);
    }

    /// <summary>Creates an <see cref="HttpClient"/> whose base address is the server's, for requests of your own; it is disposed with the server.</summary>
    /// <returns>The client.</returns>
    /// <exception cref="ObjectDisposedException">The server is disposed.</exception>
    public HttpClient CreateHttpClient() => Track(new HttpClient());

    private HttpClient Track(HttpClient client)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                client.Dispose();
                throw new ObjectDisposedException(nameof(EventStoreTestServer));
            }

            client.BaseAddress = BaseAddress;
            _httpClients.Add(client);
            return client;
        }
    }

    /// <summary>Stops the server, disposes the clients it handed out, and deletes its temporary folder.</summary>
    /// <returns>A task completing when all is released.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var client in _httpClients)
        {
            client.Dispose();
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        DeleteFolder(_temporaryFolder);
    }

    private static WebApplication Build(EventStoreTestServerOptions options, Dictionary<string, string?> settings, string contentRoot)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EventStoreServerExtensions).Assembly.GetName().Name,
            // A folder without appsettings.json: the server's settings are its defaults and the options' only.
            ContentRootPath = contentRoot,
            EnvironmentName = options.EnvironmentName,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.AddEventStoreServer();
        options.ConfigureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEventStoreServer();
        return app;
    }

    private static void DeleteFolder(string? folder)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file still held open (Windows; an event store client of another process): the folder is in the temp
            // folder, which the OS cleans; the test's outcome must not depend on it.
        }
    }
}
