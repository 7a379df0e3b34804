using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.Testing;

/// <summary>
/// The real server on Kestrel in DynamoDB mode, on a table of its own (<c>t-{guid}</c>, created at start-up) in DynamoDB
/// Local: the test run's shared in-memory instance, or one the test started itself. The table is deleted on dispose.
/// Use it as an xunit class fixture, or <see cref="Create"/> one with other settings or services.
/// </summary>
public class DynamoDbServerFixture : EventStoreServerFixture
{
    private readonly DynamoDbLocal? _ownDynamoDb;
    private DynamoDbLocal? _dynamoDb;

    /// <summary>Creates a fixture on the shared DynamoDB Local with the server's defaults.</summary>
    public DynamoDbServerFixture()
        : this(null, null, null)
    {
    }

    /// <summary>Creates a fixture; see <see cref="Create"/>.</summary>
    /// <param name="dynamoDb">The DynamoDB Local to use, or <see langword="null"/> for the shared one.</param>
    /// <param name="configuration">Configuration overriding the defaults (including the DynamoDB settings below).</param>
    /// <param name="configureServices">Changes to the server's services, e.g. decorating <see cref="IAmazonDynamoDB"/>.</param>
    protected DynamoDbServerFixture(DynamoDbLocal? dynamoDb, IDictionary<string, string?>? configuration, Action<IServiceCollection>? configureServices)
        : base(configuration, configureServices)
    {
        _ownDynamoDb = dynamoDb;
    }

    /// <summary>The server's table.</summary>
    public string TableName { get; } = $"t-{Guid.NewGuid():N}";

    /// <summary>The DynamoDB Local the server uses (known once started).</summary>
    public DynamoDbLocal DynamoDb => _dynamoDb ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>
    /// Creates a fixture in DynamoDB mode: <c>EventStore:Storage=DynamoDb</c>, its own table with
    /// <c>CreateTable=true</c>, <c>ServiceUrl</c> of <paramref name="dynamoDb"/>, and short retry delays; each can be
    /// overridden by <paramref name="configuration"/>. Start it with <see cref="EventStoreServerFixture.InitializeAsync"/>.
    /// </summary>
    /// <param name="dynamoDb">The DynamoDB Local to use (e.g. an own one to stop and restart), or <see langword="null"/> for the shared one.</param>
    /// <param name="configuration">Configuration keys and values overriding the defaults.</param>
    /// <param name="configureServices">Changes to the server's services, applied after its own registrations.</param>
    /// <returns>The fixture, not yet started.</returns>
    public static DynamoDbServerFixture Create(
        DynamoDbLocal? dynamoDb,
        IDictionary<string, string?>? configuration = null,
        Action<IServiceCollection>? configureServices = null) =>
        new(dynamoDb, configuration, configureServices);

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await DeleteTableAsync();
        await base.DisposeAsync();
    }

    /// <inheritdoc />
    protected override async Task ConfigureAsync(IDictionary<string, string?> configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _dynamoDb = _ownDynamoDb ?? await DynamoDbLocal.SharedAsync();
        configuration.TryAdd("EventStore:Storage", "DynamoDb");
        configuration.TryAdd("EventStore:DynamoDb:TableName", TableName);
        configuration.TryAdd("EventStore:DynamoDb:ServiceUrl", _dynamoDb.ServiceUrl.ToString());
        configuration.TryAdd("EventStore:DynamoDb:CreateTable", "true");
        // Faults of the shared instance are not expected; where a test injects them, it should not wait long.
        configuration.TryAdd("EventStore:DynamoDb:BaseDelay", "00:00:00.010");
        // A slow answer is not a fault either: DynamoDB Local, shared by the whole loaded test run, can take longer than
        // the product's 5 s to answer. An unreachable endpoint still fails at once (the connection is refused).
        configuration.TryAdd("EventStore:DynamoDb:RequestTimeout", "00:01:00");
    }

    /// <summary>Deletes the table through the server's own client (DynamoDB Local keeps tables per credentials and region).</summary>
    private async Task DeleteTableAsync()
    {
        if (_dynamoDb is null || _ownDynamoDb is not null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var client = Services.GetService<IAmazonDynamoDB>();
            if (client is not null)
            {
                await client.DeleteTableAsync(TableName, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException
            or OperationCanceledException or InvalidOperationException)
        {
            // A table left behind in the in-memory instance is harmless; failing the run over it is not.
        }
    }
}
