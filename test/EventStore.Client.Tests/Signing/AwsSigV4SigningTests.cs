using ServerlessEventStore.Client.Aws;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests.Signing;

[Trait("Server", "InProcess")]
public sealed class AwsSigV4SigningTests(SignedEventStoreFixture fixture) : IClassFixture<SignedEventStoreFixture>
{
    private static readonly AWSCredentials StaticCredentials =
        new BasicAWSCredentials(SignedEventStoreFixture.AccessKey, SignedEventStoreFixture.SecretKey);

    [Fact]
    public async Task AddAwsSigV4Signing_SignedRequests_CreateAppendAndReadPagesEndToEnd()
    {
        await using var provider = SignedClientServices(StaticCredentials, pageSize: 2);
        var client = provider.GetRequiredService<EventStoreClient>();
        var streamType = NewStreamType();
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(-1);

        var created = await client.CreateStreamAsync(streamType, CountedEvent(1));
        await client.AppendAsync(streamType, created.StreamId, 1, [CountedEvent(2), CountedEvent(3), CountedEvent(4)]);
        var pages = await client.GetEventsAsync(streamType, created.StreamId).AsPages().ToListAsync();
        var streams = await client.GetStreamsAsync(streamType, startedAt).ToListAsync();

        pages.Select(page => page.Values.Count).Should().Equal(2, 2);
        pages.SelectMany(page => page.Values).Select(e => e.GetPayload<Counted>()!.Number).Should().Equal(1, 2, 3, 4);
        streams.Should().ContainSingle().Which.Revision.Should().Be(4);
        var attempts = fixture.AttemptsAt(streamType).ToList();
        attempts.Should().HaveCount(5).And.OnlyContain(attempt => attempt.Verdict.Accepted, "every request is signed");
        attempts.Where(attempt => attempt.Method == "PUT").Should().OnlyContain(attempt => attempt.Verdict.SignedHeaders.Contains("content-type"));
    }

    [Fact]
    public async Task AwsSigV4SigningHandler_WithoutDependencyInjection_SignsWithSessionCredentials()
    {
        var credentials = new SessionAWSCredentials(
            SignedEventStoreFixture.SessionAccessKey, SignedEventStoreFixture.SessionSecretKey, SignedEventStoreFixture.SessionToken);
        using var httpClient = new HttpClient(new AwsSigV4SigningHandler(new AwsSigV4SigningOptions
        {
            Region = SignedEventStoreFixture.Region,
            Credentials = credentials,
        })
        {
            InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false },
        });
        var client = new EventStoreClient(httpClient, new EventStoreClientOptions { BaseAddress = fixture.BaseAddress });
        var streamType = NewStreamType();

        var created = await client.CreateStreamAsync(streamType, CountedEvent(1));

        (await client.GetStreamAsync(streamType, created.StreamId)).Revision.Should().Be(1);
        fixture.AttemptsAt(streamType).Should().HaveCount(2)
            .And.OnlyContain(attempt => attempt.Verdict.Accepted && attempt.Verdict.SignedHeaders.Contains("x-amz-security-token"));
    }

    public static TheoryData<string> Tamperings => ["body", "x-amz-date", "content-type", "path"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task AppendAsync_RequestChangedAfterSigning_Gets403AndStoresNothing(string tampering)
    {
        var streamType = NewStreamType();
        var victimId = Guid.NewGuid();
        var otherId = Guid.NewGuid();
        var tamperer = new TamperingHandler(request => TamperAsync(request, tampering, victimId, otherId));
        var client = SignedClientWithoutRetries(tamperer);

        var thrown = await FluentActions.Awaiting(() => client.CreateStreamAsync(streamType, victimId, CountedEvent(1)))
            .Should().ThrowAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(403);
        tamperer.Count.Should().Be(1);
        fixture.AttemptsAt(streamType).Should().ContainSingle().Which.Verdict.Accepted.Should().BeFalse();
        var reader = SignedClientWithoutRetries(new TamperingHandler(_ => Task.CompletedTask));
        await FluentActions.Awaiting(() => reader.GetStreamAsync(streamType, victimId)).Should().ThrowAsync<StreamNotFoundException>();
        await FluentActions.Awaiting(() => reader.GetStreamAsync(streamType, otherId)).Should().ThrowAsync<StreamNotFoundException>();
    }

    [Fact]
    public async Task CreateStreamAsync_Unsigned_Gets403()
    {
        using var httpClient = new HttpClient();
        var client = new EventStoreClient(httpClient, new EventStoreClientOptions { BaseAddress = fixture.BaseAddress });
        var streamType = NewStreamType();

        var thrown = await FluentActions.Awaiting(() => client.CreateStreamAsync(streamType, CountedEvent(1)))
            .Should().ThrowAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(403);
        fixture.AttemptsAt(streamType).Should().ContainSingle().Which.Verdict.Reason.Should().Contain("Authorization");
    }

    [Fact]
    public async Task CreateStreamAsync_SignedWithWrongSecret_Gets403()
    {
        await using var provider = SignedClientServices(new BasicAWSCredentials(SignedEventStoreFixture.AccessKey, "not-the-secret"));
        var client = provider.GetRequiredService<EventStoreClient>();
        var streamType = NewStreamType();

        var thrown = await FluentActions.Awaiting(() => client.CreateStreamAsync(streamType, CountedEvent(1)))
            .Should().ThrowAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(403);
        fixture.AttemptsAt(streamType).Should().ContainSingle().Which.Verdict.Reason.Should().Contain("signature does not match");
    }

    [Fact]
    public async Task AddAwsSigV4Signing_Transient503_EachRetryArrivesWithFreshValidSignature()
    {
        await using var provider = SignedClientServices(StaticCredentials);
        var client = provider.GetRequiredService<EventStoreClient>();
        var streamType = NewStreamType();
        fixture.FailAttempts(streamType, 2);

        var created = await client.CreateStreamAsync(streamType, CountedEvent(1));

        created.Revision.Should().Be(1);
        var attempts = fixture.AttemptsAt(streamType).ToList();
        attempts.Select(attempt => attempt.AnsweredWith503).Should().Equal(true, true, false);
        attempts.Should().OnlyContain(attempt => attempt.Verdict.Accepted, "each attempt passed the signature check");
        attempts.Select(attempt => attempt.Verdict.Signature).Distinct().Should().HaveCount(3);
        attempts.Select(attempt => attempt.Verdict.AmzDate).Distinct().Should().HaveCount(3);
    }

    [Fact]
    public async Task AddAwsSigV4Signing_Redirect_IsNotFollowedWithStaleSignature()
    {
        await using var provider = SignedClientServices(StaticCredentials);
        var httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(EventStoreClient));

        // The API page redirects its bare path to its index.
        using var response = await httpClient.GetAsync(new Uri(fixture.BaseAddress, "/openapi"));

        response.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        response.Headers.Location!.OriginalString.Should().Be("openapi/index.html");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Frankfurt")]
    [InlineData("EU-CENTRAL-1")]
    public async Task AddAwsSigV4Signing_MissingOrMalformedRegion_FailsAtStartup(string? region)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
            .AddAwsSigV4Signing(options => options.Region = region);
        using var host = builder.Build();

        var thrown = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();

        thrown.Which.Message.Should().Contain(nameof(AwsSigV4SigningOptions.Region));
    }

    [Fact]
    public async Task AddAwsSigV4Signing_RegionFromConfiguration_Signs()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Signing:Region"] = SignedEventStoreFixture.Region })
            .Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventStoreClient(options => options.BaseAddress = fixture.BaseAddress)
            .AddAwsSigV4Signing(configuration.GetSection("Signing"));
        builder.Services.PostConfigure<AwsSigV4SigningOptions>(nameof(EventStoreClient), options => options.Credentials = StaticCredentials);
        using var host = builder.Build();
        await host.StartAsync();
        var streamType = NewStreamType();

        await host.Services.GetRequiredService<EventStoreClient>().CreateStreamAsync(streamType, CountedEvent(1));

        fixture.AttemptsAt(streamType).Should().ContainSingle().Which.Verdict.Accepted.Should().BeTrue();
        await host.StopAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Frankfurt")]
    public void AwsSigV4SigningHandler_MissingOrMalformedRegion_Throws(string? region)
    {
        FluentActions.Invoking(() => new AwsSigV4SigningHandler(new AwsSigV4SigningOptions { Region = region }))
            .Should().Throw<ArgumentException>().WithMessage("*Region*");
    }

    [Fact]
    public void AwsSigV4SigningHandler_SynchronousSend_ThrowsRatherThanSendingUnsigned()
    {
        var streamType = NewStreamType();
        using var httpClient = new HttpClient(new AwsSigV4SigningHandler(new AwsSigV4SigningOptions
        {
            Region = SignedEventStoreFixture.Region,
            Credentials = StaticCredentials,
        })
        {
            InnerHandler = new SocketsHttpHandler(),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.BaseAddress, $"streams/{streamType}"));

        FluentActions.Invoking(() => httpClient.Send(request)).Should().Throw<NotSupportedException>();
        fixture.AttemptsAt(streamType).Should().BeEmpty();
    }

    private ServiceProvider SignedClientServices(AWSCredentials credentials, int pageSize = 100)
    {
        var services = new ServiceCollection();
        services.AddEventStoreClient(options =>
            {
                options.BaseAddress = fixture.BaseAddress;
                options.PageSize = pageSize;
            })
            .AddAwsSigV4Signing(options =>
            {
                options.Region = SignedEventStoreFixture.Region;
                options.Credentials = credentials;
            });
        return services.BuildServiceProvider();
    }

    // signing → tampering → transport: the tamperer changes the request after it was signed.
    private EventStoreClient SignedClientWithoutRetries(TamperingHandler tamperer)
    {
        tamperer.InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false };
        var signing = new AwsSigV4SigningHandler(new AwsSigV4SigningOptions
        {
            Region = SignedEventStoreFixture.Region,
            Credentials = StaticCredentials,
        })
        {
            InnerHandler = tamperer,
        };
        return new EventStoreClient(new HttpClient(signing), new EventStoreClientOptions { BaseAddress = fixture.BaseAddress });
    }

    private static async Task TamperAsync(HttpRequestMessage request, string tampering, Guid victimId, Guid otherId)
    {
        switch (tampering)
        {
            case "body":
                var json = await request.Content!.ReadAsStringAsync();
                var changed = json.Replace("\"number\":1", "\"number\":2", StringComparison.Ordinal);
                changed.Should().NotBe(json, "the tampering must change the body");
                var contentType = request.Content.Headers.ContentType;
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(changed));
                request.Content.Headers.ContentType = contentType;
                break;
            case "x-amz-date":
                var signedAt = DateTimeOffset.ParseExact(
                    request.Headers.GetValues("X-Amz-Date").Single(), "yyyyMMdd'T'HHmmss'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal);
                request.Headers.Remove("X-Amz-Date");
                request.Headers.TryAddWithoutValidation("X-Amz-Date", signedAt.AddSeconds(-1).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", null));
                break;
            case "content-type":
                request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-16" };
                break;
            case "path":
                request.RequestUri = new Uri(request.RequestUri!.AbsoluteUri.Replace(victimId.ToString(), otherId.ToString(), StringComparison.OrdinalIgnoreCase));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }
    }
}

/// <summary>Changes each request that passes, then counts it.</summary>
internal sealed class TamperingHandler(Func<HttpRequestMessage, Task> tamperAsync) : DelegatingHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await tamperAsync(request);
        Interlocked.Increment(ref _count);
        return await base.SendAsync(request, cancellationToken);
    }
}
