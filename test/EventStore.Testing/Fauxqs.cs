using System.Globalization;
using Amazon.Runtime;

namespace EventStore.Testing;

/// <summary>
/// The SNS/SQS emulator fauxqs (npm) on Node.js 22 (the npm package <c>node</c>, so the machine's Node.js version does
/// not matter), on a free loopback port, all state in memory. <see cref="SharedAsync"/> gives the test run's one
/// instance; <see cref="StartAsync"/> an own one (restarting it empties it). If it cannot start, the test fails: nothing
/// is skipped. Its <see cref="LocalService.ServiceUrl"/> serves SNS and SQS alike (<c>ServiceURL</c> of an SDK client,
/// <c>SnsServiceUrl</c> of the server).
/// </summary>
public sealed class Fauxqs : LocalService
{
    /// <summary>The region the emulator's ARNs and queue URLs use.</summary>
    public const string Region = "us-east-1";

    private static readonly Lazy<Task<Fauxqs>> Shared = new(async () =>
    {
        var instance = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Kill();
        return instance;
    });

    private Fauxqs(int port)
        : base(port)
    {
    }

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
        var instance = new Fauxqs(LocalProcess.FreePort());
        await instance.LaunchAsync();
        return instance;
    }

    /// <inheritdoc />
    protected override (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string>? Environment) Command()
    {
        var services = RepositoryPaths.Services;
        var environment = new Dictionary<string, string>
        {
            ["FAUXQS_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["FAUXQS_HOST"] = "127.0.0.1",
            ["FAUXQS_DEFAULT_REGION"] = Region,
            ["FAUXQS_LOGGER"] = "false",
            ["NODE_NO_WARNINGS"] = "1",
        };
        return (Path.Combine(services, "node_modules", ".bin", "node"), [Path.Combine(services, "node_modules", "fauxqs", "dist", "cli.js")], services, environment);
    }
}
