using ServerlessEventStore.Client.Aws;
using ServerlessEventStore.Client.Aws.Signing;
using Microsoft.Extensions.DependencyInjection;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests.Signing;

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
[Trait("Server", "InProcess")]
public sealed class DefaultCredentialChainTests(SignedEventStoreFixture fixture) : IClassFixture<SignedEventStoreFixture>
{
    [Fact]
    public async Task AddAwsSigV4Signing_NoCredentialsConfigured_SignsWithDefaultChainCredentials()
    {
        using var _ = new EnvironmentCredentials();
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

    [Fact]
    public async Task ReadmeSigningExampleWithoutDependencyInjection_DefaultChainCredentials_SignsRequests()
    {
        using var _ = new EnvironmentCredentials();
        var functionUrl = fixture.BaseAddress;

        // README signing without DI begins
        var signing = new AwsSigV4SigningHandler(new AwsSigV4SigningOptions { Region = "eu-central-1" })
        {
            InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false },
        };
        var client = new EventStoreClient(new HttpClient(signing), new EventStoreClientOptions { BaseAddress = functionUrl });
        // README signing without DI ends

        var streamType = NewStreamType();
        await client.CreateStreamAsync(streamType, CountedEvent(1));

        fixture.AttemptsAt(streamType).Should().ContainSingle().Which.Verdict.Accepted.Should().BeTrue();
    }

    [Fact]
    public async Task AddAwsSigV4Signing_DefaultChainFindsNone_ThrowsSayingSoEvenForAnEndpointOutsideAws()
    {
        using var _ = new EnvironmentCredentials(present: false);
        var services = new ServiceCollection();
        services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
            .AddAwsSigV4Signing(options => options.Region = SignedEventStoreFixture.Region);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();
        var streamType = NewStreamType();

        // The server signs calls to emulators with placeholder credentials; a client never does: its requests would be
        // refused by the Function URL it is meant for, with an error that says less than this one.
        var thrown = await FluentActions.Awaiting(() => client.CreateStreamAsync(streamType, CountedEvent(1)))
            .Should().ThrowAsync<InvalidOperationException>();

        thrown.Which.Message.Should().Contain("No AWS credentials found").And.Contain("AwsSigV4SigningOptions.Credentials");
        fixture.AttemptsAt(streamType).Should().BeEmpty("nothing goes out unsigned");
    }

    [Fact]
    public async Task GetAsync_DefaultChainFindsNoneForAnEndpointOutsideAws_PlaceholderAndOneNoticeWithTheHintOnly()
    {
        using var _ = new EnvironmentCredentials(present: false);
        var notices = new List<(Uri Endpoint, string Hint)>();
        var source = new AwsCredentialSource(null, allowPlaceholder: true, "set the credentials.", (endpoint, hint) => notices.Add((endpoint, hint)));
        var emulator = new Uri("http://127.0.0.1:4566/");

        var first = await source.GetAsync(emulator, CancellationToken.None);
        var second = await source.GetAsync(emulator, CancellationToken.None);

        first.GetCredentials().AccessKey.Should().Be("local");
        second.Should().BeSameAs(first);
        // Once per endpoint, and only what to set: not the SDK's account of every provider it tried, lines long.
        notices.Should().ContainSingle().Which.Should().Be((emulator, "set the credentials."));
        await FluentActions.Awaiting(() => source.GetAsync(new Uri("https://sns.eu-central-1.amazonaws.com/"), CancellationToken.None))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("No AWS credentials found*set the credentials.");
    }

    /// <summary>
    /// The AWS SDK's environment variables holding the fixture's credentials (or, with <c>present: false</c>, none, with
    /// no profile file and no instance metadata to fall back on), the variables restored on dispose.
    /// </summary>
    private sealed class EnvironmentCredentials : IDisposable
    {
        private static readonly string[] Variables =
            ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED"];
        private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);

        public EnvironmentCredentials(bool present = true)
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", present ? SignedEventStoreFixture.AccessKey : null);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", present ? SignedEventStoreFixture.SecretKey : null);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
            if (!present)
            {
                var nowhere = Path.Combine(Path.GetTempPath(), $"no-aws-{Guid.NewGuid():N}");
                Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", nowhere);
                Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", nowhere);
                Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
