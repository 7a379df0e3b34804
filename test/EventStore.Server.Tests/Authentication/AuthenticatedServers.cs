using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Authentication;

/// <summary>The settings of a server that takes an API key or a bearer token (<see cref="TestTokens"/>).</summary>
internal static class AuthenticatedServer
{
    public const string ApiKey = "the-tests-api-key-0123456789";

    public static Dictionary<string, string?> Configuration() => new()
    {
        ["EventStore:Authentication:Mode"] = "ApiKey,JwtBearer",
        ["EventStore:Authentication:ApiKeys:0"] = "another-api-key-0123456789",
        ["EventStore:Authentication:ApiKeys:1"] = ApiKey,
        ["EventStore:Authentication:JwtBearer:Audience"] = TestTokens.Audience,
        ["EventStore:Authentication:JwtBearer:Issuer"] = TestTokens.Issuer,
        ["EventStore:Authentication:JwtBearer:SigningKey"] = Convert.ToBase64String(TestTokens.SigningKey),
    };
}

public sealed class AuthenticatedSqliteServer() : EventStoreServerFixture(AuthenticatedServer.Configuration(), null);

public sealed class AuthenticatedDynamoDbServer() : DynamoDbServerFixture(null, AuthenticatedServer.Configuration(), null);
