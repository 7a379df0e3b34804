using System.Net;
using System.Text.Json;
using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

public sealed class ErrorTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient();

    [Fact]
    public async Task GetStreamAsync_UnknownStream_ThrowsStreamNotFound()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();

        var thrown = await FluentActions.Awaiting(() => _client.GetStreamAsync(streamType, streamId))
            .Should().ThrowExactlyAsync<StreamNotFoundException>();

        thrown.Which.StreamType.Should().Be(streamType);
        thrown.Which.StreamId.Should().Be(streamId);
        thrown.Which.Status.Should().Be(404);
        thrown.Which.Problem.Should().NotBeNull();
        thrown.Which.RequestId.Should().NotBeNullOrEmpty();
        thrown.Which.InnerException.Should().NotBeNull();
    }

    [Fact]
    public async Task GetStreamAsync_WrongStreamType_ThrowsStreamNotFound()
    {
        var created = await _client.CreateStreamAsync(NewStreamType(), CountedEvent(1));
        var otherType = NewStreamType();

        var thrown = await FluentActions.Awaiting(() => _client.GetStreamAsync(otherType, created.StreamId))
            .Should().ThrowExactlyAsync<StreamNotFoundException>();

        thrown.Which.StreamType.Should().Be(otherType);
        thrown.Which.StreamId.Should().Be(created.StreamId);
    }

    [Fact]
    public async Task AppendAsync_UnknownStream_ThrowsStreamNotFound()
    {
        var streamId = Guid.NewGuid();

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(NewStreamType(), streamId, 3, CountedEvent(4)))
            .Should().ThrowExactlyAsync<StreamNotFoundException>();

        thrown.Which.StreamId.Should().Be(streamId);
    }

    [Fact]
    public async Task AppendAsync_WrongStreamType_ThrowsStreamNotFound()
    {
        var created = await _client.CreateStreamAsync(NewStreamType(), CountedEvent(1));

        await FluentActions.Awaiting(() => _client.AppendAsync(NewStreamType(), created.StreamId, 1, CountedEvent(2)))
            .Should().ThrowExactlyAsync<StreamNotFoundException>();
    }

    [Fact]
    public async Task GetEventsAsync_UnknownStream_ThrowsStreamNotFoundWhenEnumerated()
    {
        var events = _client.GetEventsAsync(NewStreamType(), Guid.NewGuid());

        await FluentActions.Awaiting(() => events.ToListAsync().AsTask())
            .Should().ThrowExactlyAsync<StreamNotFoundException>();
    }

    [Fact]
    public async Task AppendAsync_StaleExpectedRevision_ThrowsWrongExpectedRevisionWithBothRevisions()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));
        await _client.AppendAsync(streamType, created.StreamId, 1, [CountedEvent(2), CountedEvent(3)]);

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, created.StreamId, 1, CountedEvent(99)))
            .Should().ThrowExactlyAsync<WrongExpectedRevisionException>();

        thrown.Which.ExpectedRevision.Should().Be(1);
        thrown.Which.ActualRevision.Should().Be(3);
        thrown.Which.StreamType.Should().Be(streamType);
        thrown.Which.StreamId.Should().Be(created.StreamId);
        thrown.Which.Status.Should().Be(409);
        thrown.Which.Problem!.CurrentRevision.Should().Be(3);
        thrown.Which.RequestId.Should().NotBeNullOrEmpty();
        thrown.Which.Message.Should().Contain("1").And.Contain("3");
    }

    [Fact]
    public async Task AppendAsync_ExpectedRevisionAheadOfStream_ThrowsWrongExpectedRevision()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, created.StreamId, 5, CountedEvent(6)))
            .Should().ThrowExactlyAsync<WrongExpectedRevisionException>();

        thrown.Which.ExpectedRevision.Should().Be(5);
        thrown.Which.ActualRevision.Should().Be(1);
    }

    [Fact]
    public async Task CreateStreamAsync_StreamExistsWithOtherEvent_ThrowsWrongExpectedRevision()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();
        await _client.CreateStreamAsync(streamType, streamId, CountedEvent(1));

        var thrown = await FluentActions.Awaiting(() => _client.CreateStreamAsync(streamType, streamId, CountedEvent(1)))
            .Should().ThrowExactlyAsync<WrongExpectedRevisionException>();

        thrown.Which.ExpectedRevision.Should().Be(0);
        thrown.Which.ActualRevision.Should().Be(1);
    }

    [Fact]
    public async Task CreateStreamAsync_InvalidStreamType_ThrowsEventStoreExceptionWith400()
    {
        var thrown = await FluentActions.Awaiting(() => _client.CreateStreamAsync("not a valid type!", CountedEvent(1)))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(400);
        thrown.Which.Problem.Should().NotBeNull();
        thrown.Which.Problem!.Status.Should().Be(400);
        thrown.Which.RequestId.Should().NotBeNullOrEmpty().And.Be(thrown.Which.Problem.RequestId);
        thrown.Which.Message.Should().Contain("400");
        thrown.Which.ValidationErrors.Should().ContainSingle().Which.Key.Should().Be("streamType");
        thrown.Which.Message.Should().Contain($"'streamType': {thrown.Which.ValidationErrors["streamType"].Single()}");
    }

    [Fact]
    public async Task AppendAsync_InvalidEvents_MessageNamesEachInvalidFieldWithItsMessages()
    {
        var (streamType, streamId) = (NewStreamType(), Guid.NewGuid());
        var eventId = Guid.NewGuid();
        NewEvent[] batch =
        [
            new(eventId, string.Empty, null, JsonSerializer.SerializeToElement(new Counted(1))),
            new(eventId, "counted", null, JsonSerializer.SerializeToElement(new Counted(2))),
        ];

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, 0, batch))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(400);
        thrown.Which.ValidationErrors.Should().BeEquivalentTo(new Dictionary<string, IReadOnlyList<string>>
        {
            ["events[0].eventType"] = ["The event type is required."],
            ["events[1].eventId"] = ["Event ids must be unique within an append."],
        });
        thrown.Which.ValidationErrors.Should().BeEquivalentTo(thrown.Which.Problem!.Errors);
        thrown.Which.Message.Should().Be(
            "The event store answered with status 400 (One or more validation errors occurred.): "
            + "'events[0].eventType': The event type is required. 'events[1].eventId': Event ids must be unique within an append. "
            + $"[request {thrown.Which.RequestId}].");
        await FluentActions.Awaiting(() => _client.GetStreamAsync(streamType, streamId)).Should().ThrowAsync<StreamNotFoundException>();
    }

    [Fact]
    public async Task AppendAsync_MoreInvalidFieldsThanTheMessageNames_NamesTheFirstTenAndCountsTheRest()
    {
        var batch = Enumerable.Range(0, 12)
            .Select(n => new NewEvent(Guid.NewGuid(), string.Empty, null, JsonSerializer.SerializeToElement(new Counted(n))))
            .ToList();

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(NewStreamType(), Guid.NewGuid(), 0, batch))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.ValidationErrors.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 12).Select(n => $"events[{n}].eventType"));
        var message = thrown.Which.Message;
        Enumerable.Range(0, 10).Should().OnlyContain(n => message.Contains($"'events[{n}].eventType': The event type is required.", StringComparison.Ordinal));
        message.Should().NotContain("events[10]").And.NotContain("events[11]");
        message.Should().EndWith($"And 2 more fields. [request {thrown.Which.RequestId}].");
    }

    [Fact]
    public async Task GetStreamsAsync_InvalidStreamType_ThrowsEventStoreExceptionWith400WhenEnumerated()
    {
        var streams = _client.GetStreamsAsync("not a valid type!");

        var thrown = await FluentActions.Awaiting(() => streams.ToListAsync().AsTask())
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(400);
        thrown.Which.RequestId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task GetStreamTypesAsync_ContinuationTokenNotIssued_ThrowsEventStoreExceptionWith400NamingTheKey()
    {
        var pages = _client.GetStreamTypesAsync().AsPages("not a key");

        var thrown = await FluentActions.Awaiting(() => pages.ToListAsync().AsTask())
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(400);
        thrown.Which.ValidationErrors.Should().ContainKey("next-page-key");
    }

    [Fact]
    public async Task AppendAsync_PayloadOver256KB_ThrowsEventStoreExceptionWith413()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));
        var oversized = NewEvent.Create("big", new { text = new string('x', 300 * 1024) });

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, created.StreamId, 1, oversized))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(413);
        thrown.Which.Problem.Should().NotBeNull();
        thrown.Which.RequestId.Should().NotBeNullOrEmpty();
        (await _client.GetStreamAsync(streamType, created.StreamId)).Revision.Should().Be(1);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "", "text/plain")]
    [InlineData(HttpStatusCode.BadGateway, "<html><body>Bad gateway</body></html>", "text/html")]
    [InlineData(HttpStatusCode.OK, "<html>not json</html>", "text/html")]
    [InlineData(HttpStatusCode.Unauthorized, "{\"message\":\"Forbidden\"}", "application/json")]
    public async Task AppendAsync_ResponseWithoutProblem_ThrowsEventStoreExceptionWithStatus(HttpStatusCode status, string body, string mediaType)
    {
        var thrown = await AppendAgainstCannedResponseAsync(status, body, mediaType);

        thrown.Status.Should().Be((int)status);
        thrown.Problem.Should().BeNull();
    }

    [Fact]
    public async Task GetStreamAsync_UnexpectedStatusWithProblem_ThrowsEventStoreExceptionWithProblem()
    {
        var client = ClientAnswering(
            HttpStatusCode.InternalServerError,
            """{"title":"Oops","status":500,"detail":"Something broke.","requestId":"req-42"}""",
            "application/problem+json");

        var thrown = await FluentActions.Awaiting(() => client.GetStreamAsync(NewStreamType(), Guid.NewGuid()))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(500);
        thrown.Which.Problem!.Detail.Should().Be("Something broke.");
        thrown.Which.RequestId.Should().Be("req-42");
        thrown.Which.Message.Should().Contain("Something broke.").And.Contain("req-42");
        thrown.Which.ValidationErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task AppendAsync_ProblemWithDetailAndErrors_MessageHasBothAndAFieldWithoutMessages()
    {
        var thrown = await AppendAgainstCannedResponseAsync(
            HttpStatusCode.BadRequest,
            """{"title":"Bad","status":400,"detail":"Two fields are wrong.","errors":{"limit":["Too big"],"after":null}}""",
            "application/problem+json");

        thrown.ValidationErrors.Should().HaveCount(2);
        thrown.ValidationErrors["limit"].Should().Equal("Too big");
        thrown.ValidationErrors["after"].Should().BeEmpty();
        thrown.Message.Should().Be("The event store answered with status 400 (Bad): Two fields are wrong. 'limit': Too big. 'after' is invalid.");
    }

    [Fact]
    public void Constructor_ForMocking_HasNoValidationErrorsUnlessTheProblemHasSome()
    {
        new EventStoreException("mocked").ValidationErrors.Should().BeEmpty();
        var problem = new Problem(null, null, new Dictionary<string, IReadOnlyList<string>> { ["eventType"] = ["Required."] }, null, null, 400, null, null);

        new EventStoreException("mocked", 400, problem).ValidationErrors.Should().ContainKey("eventType")
            .WhoseValue.Should().Equal("Required.");
    }

    [Fact]
    public void Constructor_NoBaseAddress_ThrowsArgumentException()
    {
        FluentActions.Invoking(() => new EventStoreClient(new HttpClient()))
            .Should().Throw<ArgumentException>().WithMessage("*BaseAddress*");
        FluentActions.Invoking(() => new EventStoreClient(new HttpClient { BaseAddress = new Uri("http://a.invalid/") }, new EventStoreClientOptions { PageSize = 0 }))
            .Should().Throw<ArgumentException>().WithMessage("*PageSize*");
    }

    [Fact]
    public async Task Constructor_HttpClientBaseAddressWithoutTrailingSlash_KeepsItsPath()
    {
        var handler = new CapturingHandler();
        var client = new EventStoreClient(new HttpClient(handler) { BaseAddress = new Uri("http://a.invalid/api/v1") });

        await FluentActions.Awaiting(() => client.GetStreamAsync("orders", Guid.Empty)).Should().ThrowAsync<EventStoreException>();

        handler.LastUri.Should().Be(new Uri("http://a.invalid/api/v1/streams/orders/00000000-0000-0000-0000-000000000000/details"));
    }

    private static async Task<EventStoreException> AppendAgainstCannedResponseAsync(HttpStatusCode status, string body, string mediaType)
    {
        var client = ClientAnswering(status, body, mediaType);
        var thrown = await FluentActions.Awaiting(() => client.AppendAsync(NewStreamType(), Guid.NewGuid(), 0, CountedEvent(1)))
            .Should().ThrowExactlyAsync<EventStoreException>();
        return thrown.Which;
    }

    [Fact]
    public async Task GetStreamAsync_ErrorWithRequestIdOnlyInAHeader_ThrowsWithThatRequestId()
    {
        var client = new EventStoreClient(
            new HttpClient(new HeaderAnsweringHandler()),
            new EventStoreClientOptions { BaseAddress = new Uri("http://event-store.invalid/") });

        var thrown = await FluentActions.Awaiting(() => client.GetStreamAsync(NewStreamType(), Guid.NewGuid()))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(502);
        thrown.Which.RequestId.Should().Be("gateway-7");
    }

    private static EventStoreClient ClientAnswering(HttpStatusCode status, string body, string mediaType) =>
        new(new HttpClient(new CannedResponseHandler(status, body, mediaType)),
            new EventStoreClientOptions { BaseAddress = new Uri("http://event-store.invalid/") });

    /// <summary>A gateway's answer: not a problem, its request id only in a (lower-case) header.</summary>
    private sealed class HeaderAnsweringHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>Bad gateway</html>", null, "text/html") };
            response.Headers.TryAddWithoutValidation("x-request-id", "gateway-7");
            return Task.FromResult(response);
        }
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public Uri? LastUri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway));
        }
    }
}
