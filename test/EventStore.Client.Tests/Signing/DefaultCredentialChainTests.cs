using Microsoft.Extensions.DependencyInjection;
using static EventStore.Client.Tests.TestSupport;

namespace EventStore.Client.Tests.Signing;

/// <summary>
/// The only tests that set process-wide environment variables (the AWS SDK's default chain reads credentials from
/// them), so they run alone, not in parallel with any other test, and restore the variables afterwards.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentDefinition
{
    public const string Name = "process environment";
}

[Collection(ProcessEnvironmentDefinition.Name)]
public sealed class DefaultCredentialChainTests(SignedEventStoreFixture fixture) : IClassFixture<SignedEventStoreFixture>
{
    private static readonly string[] Variables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];

    [Fact]
    public async Task AddAwsSigV4Signing_NoCredentialsConfigured_SignsWithDefaultChainCredentials()
    {
        var saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", SignedEventStoreFixture.AccessKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SignedEventStoreFixture.SecretKey);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
            var services = new ServiceCollection();
            services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
                .AddAwsSigV4Signing(options => options.Region = SignedEventStoreFixture.Region);
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<EventStoreClient>();
            var streamType = NewStreamType();

            var created = await client.CreateStreamAsync(streamType, CountedEvent(1));
            await client.AppendAsync(streamType, created.StreamId, 1, CountedEvent(2));

            fixture.AttemptsAt(streamType).Should().HaveCount(2).And.OnlyContain(attempt => attempt.Verdict.Accepted);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
