using System.Net;
using System.Net.Sockets;
using ServerlessEventStore.Server.Hosting;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.DynamoDb;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>Selecting the DynamoDB store by configuration: validation, the client the server builds, its timeouts.</summary>
public sealed class DynamoDbRegistrationTests
{
    [Fact]
    public async Task AddEventStoreServer_DynamoDbWithoutTableName_FailsValidationNamingIt()
    {
        await using var app = Build(new() { ["EventStore:Storage"] = "DynamoDb", ["EventStore:DynamoDb:MaxAttempts"] = "0" });

        var options = () => app.Services.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value;

        options.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("EventStore:DynamoDb:TableName", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("EventStore:DynamoDb:MaxAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEventStoreServer_SqliteWithInvalidDynamoDbSettings_IgnoresThem()
    {
        await using var app = Build(new() { ["EventStore:DynamoDb:MaxAttempts"] = "0" });

        var options = () => app.Services.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value;

        options.Should().NotThrow();
    }

    [Fact]
    public async Task AddEventStoreServer_DynamoDbOnLocalEndpoint_StoresWithoutAwsSetup()
    {
        var dynamoDb = await DynamoDbLocal.SharedAsync();
        await using var table = await DynamoDbTestTable.CreateAsync();
        await using var app = Build(new()
        {
            ["EventStore:Storage"] = "dynamodb",
            ["EventStore:DynamoDb:TableName"] = table.Name,
            ["EventStore:DynamoDb:ServiceUrl"] = dynamoDb.ServiceUrl.ToString(),
            ["EventStore:DynamoDb:CreateTable"] = "true",
        });
        var storage = app.Services.GetRequiredService<IEventStorage>();
        var id = Guid.NewGuid();

        await storage.InitializeAsync(default);
        var outcome = await storage.AppendAsync(StreamAppend.Create("t", id, 0, [new EventToAppend(Guid.NewGuid(), "e", "{}", null)]), default);

        app.Services.GetRequiredService<DynamoDbEventStorage>().Should().NotBeNull("the DynamoDB store is the one registered");
        app.Services.GetService<SqliteEventStorage>().Should().BeNull("only the chosen store is composed");
        outcome.Should().BeOfType<AppendOutcome.Appended>();
        (await table.ItemsAsync(id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task GetStreamAsync_EndpointNeverAnswers_AttemptsTimeOutAndThrowStorageUnavailable()
    {
        // Accepts connections (the backlog does) but never answers: only the request timeout ends an attempt.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var app = Build(new()
        {
            ["EventStore:Storage"] = "DynamoDb",
            ["EventStore:DynamoDb:TableName"] = "silent",
            ["EventStore:DynamoDb:ServiceUrl"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
            ["EventStore:DynamoDb:RequestTimeout"] = "00:00:00.500",
            ["EventStore:DynamoDb:MaxAttempts"] = "2",
            ["EventStore:DynamoDb:BaseDelay"] = "00:00:00.010",
        });
        var storage = app.Services.GetRequiredService<IEventStorage>();

        // Bounded, not measured: without the request timeout the SDK would wait 100 s for each attempt.
        var read = () => storage.GetStreamAsync("t", Guid.NewGuid(), default).WaitAsync(TimeSpan.FromSeconds(30));

        (await read.Should().ThrowAsync<StorageUnavailableException>())
            .WithInnerException<TimeoutException>("the request timeout ended the last attempt");
    }

    private static WebApplication Build(Dictionary<string, string?> configuration)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EventStoreServerExtensions).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddEventStoreServer();
        return builder.Build();
    }
}
