using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessEventStore.Testing;

/// <summary>How <see cref="EventStoreTestServer.StartAsync(EventStoreTestServerOptions?, CancellationToken)"/> runs the server.</summary>
public sealed class EventStoreTestServerOptions
{
    /// <summary>
    /// Server settings by configuration key, as in the server's <c>appsettings.json</c> (e.g.
    /// <c>EventStore:Notifications:SnsTopicArn</c>). The test server reads no other configuration: neither the test
    /// project's <c>appsettings.json</c> nor environment variables reach it, so a test runs the same on every machine.
    /// <c>EventStore:Storage</c> is <c>Sqlite</c>, <c>EventStore:Sqlite:Path</c> a file in <see cref="DataFolder"/>
    /// and <c>urls</c> <c>http://127.0.0.1:0</c> (a free loopback port) unless set here.
    /// </summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The folder of the embedded store's file. Null (the default): a new temporary folder, deleted when the server is
    /// disposed. A folder given here is created if missing and kept.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>
    /// Logging of the server. Null (the default): the server logs nothing. Add a provider here to see its log, e.g.
    /// <c>logging =&gt; logging.AddConsole()</c> or your test framework's output.
    /// </summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>
    /// Changes to the server's services, applied after its own registrations: for instance a
    /// <c>FakeTimeProvider</c> registered as <see cref="TimeProvider"/> stamps the events with the test's clock.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>The server's hosting environment (default <c>Production</c>, as the server runs when deployed).</summary>
    public string EnvironmentName { get; set; } = "Production";
}
