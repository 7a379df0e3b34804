namespace EventStore.Testing;

/// <summary>
/// The server in DynamoDB mode (<see cref="DynamoDbServerFixture"/>) with a short settle window for reads of a stream
/// type's events (<c>EventStore:DynamoDb:SettleWindow</c>, <see cref="SettleWindow"/>), so that tests of catch-up
/// subscriptions see new events within a fraction of a second. DynamoDB Local updates its indexes at once; the window
/// still covers the time an append takes to commit.
/// </summary>
public sealed class ShortSettleDynamoDbServerFixture : DynamoDbServerFixture
{
    /// <summary>The settle window this server reads with.</summary>
    public static readonly TimeSpan SettleWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>Creates the fixture on the shared DynamoDB Local.</summary>
    public ShortSettleDynamoDbServerFixture()
        : base(null, new Dictionary<string, string?> { ["EventStore:DynamoDb:SettleWindow"] = SettleWindow.ToString("c", System.Globalization.CultureInfo.InvariantCulture) }, null)
    {
    }
}
