using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.Runtime;

namespace EventStore.Testing;

/// <summary>
/// The SNS/SQS emulator fauxqs (npm) on Node.js 22 (the npm package <c>node</c>, so the machine's Node.js version does
/// not matter), on a free loopback port, all state in memory. <see cref="SharedAsync"/> gives the test run's one
/// instance; <see cref="StartAsync"/> an own one. If it cannot start, the test fails: nothing is skipped.
/// </summary>
public sealed class Fauxqs : IAsyncDisposable
{
    /// <summary>The region the emulator's ARNs and queue URLs use.</summary>
    public const string Region = "us-east-1";

    private static readonly Lazy<Task<Fauxqs>> Shared = new(async () =>
    {
        var instance = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Kill();
        return instance;
    });

    private readonly StringBuilder _output = new();
    private readonly string _servicesDirectory;
    private Process? _process;

    private Fauxqs(string servicesDirectory, int port)
    {
        _servicesDirectory = servicesDirectory;
        Port = port;
    }

    /// <summary>The port it listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>Its endpoint for SNS and SQS alike (<c>ServiceURL</c> of an SDK client, <c>SnsServiceUrl</c> of the server).</summary>
    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>Credentials the emulator accepts (it checks none).</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("local", "local");

    /// <summary>The test run's shared instance, started on first use and stopped when the process exits.</summary>
    /// <returns>The running instance.</returns>
    public static Task<Fauxqs> SharedAsync() => Shared.Value;

    /// <summary>Starts an own instance; dispose it when done.</summary>
    /// <returns>The running instance.</returns>
    public static async Task<Fauxqs> StartAsync()
    {
        await LocalProcess.EnsureNpmPackageAsync("fauxqs");
        await LocalProcess.EnsureNpmPackageAsync("node");
        var instance = new Fauxqs(RepositoryPaths.Services, LocalProcess.FreePort());
        await instance.LaunchAsync();
        return instance;
    }

    /// <summary>Stops it: the port stops answering and all its state is gone.</summary>
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

    /// <summary>Starts it again on the same port (with empty state).</summary>
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
        var node = Path.Combine(_servicesDirectory, "node_modules", ".bin", "node");
        var cli = Path.Combine(_servicesDirectory, "node_modules", "fauxqs", "dist", "cli.js");
        var environment = new Dictionary<string, string>
        {
            ["FAUXQS_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["FAUXQS_HOST"] = "127.0.0.1",
            ["FAUXQS_DEFAULT_REGION"] = Region,
            ["FAUXQS_LOGGER"] = "false",
            ["NODE_NO_WARNINGS"] = "1",
        };
        _process = LocalProcess.Start(node, [cli], _servicesDirectory, _output, environment);
        try
        {
            await LocalProcess.WaitForPortAsync(_process, Port, TimeSpan.FromSeconds(60), () => $"{node} {cli}\n{_output}");
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
