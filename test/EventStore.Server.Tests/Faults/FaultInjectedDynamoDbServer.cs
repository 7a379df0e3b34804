using System.Globalization;
using Amazon.DynamoDBv2;
using EventStore.Testing;
using EventStore.Testing.Proxies;

namespace ServerlessEventStore.Server.Tests.Faults;

/// <summary>
/// The server in DynamoDB mode (shared DynamoDB Local, own table) whose <see cref="IAmazonDynamoDB"/> is decorated with a
/// <see cref="FaultInjectingProxy{T}"/>: the tests arm faults on the operations the adapter uses, which DynamoDB Local
/// never produces (throttling, transaction conflicts, lost answers).
/// </summary>
public sealed class FaultInjectedDynamoDbServer : DynamoDbServerFixture
{
    /// <summary>Attempts the adapter makes per request (first try included) before answering 503.</summary>
    public const int MaxAttempts = 3;

    private readonly FaultInjection[] _faults;

    public FaultInjectedDynamoDbServer()
        : this([new("TransactWriteItemsAsync"), new("QueryAsync"), new("GetItemAsync")])
    {
    }

    private FaultInjectedDynamoDbServer(FaultInjection[] faults)
        : base(
            dynamoDb: null,
            new Dictionary<string, string?>
            {
                ["EventStore:DynamoDb:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
                ["EventStore:DynamoDb:BaseDelay"] = "00:00:00.005",
            },
            services => services.Decorate<IAmazonDynamoDB>(inner => FaultInjectingProxy.Wrap(inner, faults)))
    {
        _faults = faults;
    }

    public FaultInjection TransactWriteItems => _faults[0];

    public FaultInjection Query => _faults[1];

    public FaultInjection GetItem => _faults[2];

    /// <summary>Lets every call through again.</summary>
    public void DisarmAll()
    {
        foreach (var fault in _faults)
        {
            fault.Disarm();
        }
    }

    /// <summary>The fault a test names, as the SDK raises it.</summary>
    public static Func<Exception> Fault(string name) => name switch
    {
        "ProvisionedThroughputExceeded" => DynamoDbFaults.ProvisionedThroughputExceeded,
        "Throttling" => DynamoDbFaults.Throttling,
        "TransactionConflict" => () => DynamoDbFaults.TransactionConflict(),
        "InternalServerError" => DynamoDbFaults.InternalServerError,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown fault."),
    };
}
