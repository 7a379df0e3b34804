using System.Diagnostics;
using System.Net;
using ServerlessEventStore.Server.Telemetry;
using EventStore.Testing;
using EventStore.Testing.Telemetry;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Telemetry;

/// <summary>The server's activities and instruments, seen through the BCL's listeners while the real server answers requests.</summary>
public abstract class ServerTelemetryTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private const string StreamTypeTag = "eventstore.stream_type";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpClient _client = server.CreateHttpClient();
    private readonly TelemetryRecorder _recorder = new(EventStoreServerTelemetry.ActivitySourceName, EventStoreServerTelemetry.MeterName);

    protected abstract string Store { get; }

    protected abstract string Relay { get; }

    public void Dispose()
    {
        _recorder.Dispose();
        _client.Dispose();
    }

    [Fact]
    public async Task Append_NewStream_RecordsActivityWithTagsAndOneAppendDuration()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await PutAsync(type, id, 1, $$"""{"events":[{{EventJson()}},{{EventJson()}}]}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var activity = _recorder.Activities(StreamTypeTag, type).Should().ContainSingle().Subject;
        activity.OperationName.Should().Be("eventstore.append");
        activity.Status.Should().Be(ActivityStatusCode.Unset);
        activity.GetTagItem("eventstore.operation").Should().Be("append");
        activity.GetTagItem("eventstore.store").Should().Be(Store);
        activity.GetTagItem("eventstore.stream_id").Should().Be(id.ToString("D"));
        activity.GetTagItem("eventstore.revision").Should().Be(1);
        activity.GetTagItem("eventstore.event_count").Should().Be(2);
        activity.GetTagItem("eventstore.outcome").Should().Be("appended");
        var duration = _recorder.Measurements("eventstore.server.append.duration", StreamTypeTag, type).Should().ContainSingle().Subject;
        duration.Unit.Should().Be("ms");
        duration.Value.Should().BeGreaterThan(0);
        duration.Tag("eventstore.operation").Should().Be("append");
        duration.Tag("eventstore.store").Should().Be(Store);
        duration.Tag("eventstore.outcome").Should().Be("appended");
    }

    [Fact]
    public async Task Append_AtTheEndOfTheStream_TagsTheRevisionWhereItLanded()
    {
        // An append at the end has no revision until the store places it: recording its activity must not ask for one.
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PostAsync(
            new Uri($"streams/{type}/{id}/events?expected-revision=any", UriKind.Relative),
            Json($$"""{"events":[{{EventJson(eventId: Guid.NewGuid())}},{{EventJson(eventId: Guid.NewGuid())}}]}"""));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var appended = _recorder.Activities(StreamTypeTag, type).Should().HaveCount(2).And.Subject.Last();
        appended.GetTagItem("eventstore.outcome").Should().Be("appended");
        appended.GetTagItem("eventstore.revision").Should().Be(2);
        appended.GetTagItem("eventstore.event_count").Should().Be(2);
    }

    [Fact]
    public async Task Append_WrongExpectedRevision_CountsOneConflict()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await PutAsync(type, id, 1, $$"""{"event":{{EventJson()}}}""");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var conflict = _recorder.Measurements("eventstore.server.conflicts", StreamTypeTag, type).Should().ContainSingle().Subject;
        conflict.Value.Should().Be(1);
        conflict.Tag("eventstore.store").Should().Be(Store);
        _recorder.Activities(StreamTypeTag, type).Select(a => a.GetTagItem("eventstore.outcome"))
            .Should().Equal("appended", "wrong-expected-revision");
        _recorder.Measurements("eventstore.server.append.duration", StreamTypeTag, type).Select(m => m.Tag("eventstore.outcome"))
            .Should().Equal("appended", "wrong-expected-revision");
    }

    [Fact]
    public async Task Append_IdempotentRepeat_CountsOneRepeatAndNoConflict()
    {
        var (type, id) = (NewType(), Guid.NewGuid());
        var body = $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""";
        using var first = await PutAsync(type, id, 1, body);

        using var repeat = await PutAsync(type, id, 1, body);

        repeat.StatusCode.Should().Be(HttpStatusCode.OK);
        _recorder.Measurements("eventstore.server.idempotent_repeats", StreamTypeTag, type).Should().ContainSingle().Which.Value.Should().Be(1);
        _recorder.Measurements("eventstore.server.conflicts", StreamTypeTag, type).Should().BeEmpty();
        _recorder.Activities(StreamTypeTag, type)[^1].GetTagItem("eventstore.outcome").Should().Be("already-appended");
    }

    [Fact]
    public async Task Reads_RecordActivityAndReadDurationPerOperationWithOutcome()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 3);

        using var events = await _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));
        using var streams = await _client.GetAsync(new Uri($"streams/{type}", UriKind.Relative));
        using var details = await _client.GetAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/details", UriKind.Relative));

        (events.StatusCode, streams.StatusCode, details.StatusCode).Should().Be((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound));

        var reads = _recorder.Measurements("eventstore.server.read.duration", StreamTypeTag, type);
        reads.Select(m => (m.Tag("eventstore.operation"), m.Tag("eventstore.outcome"), m.Tag("eventstore.store"))).Should().Equal(
            ("read_events", "found", Store), ("read_streams", "found", Store), ("read_details", "not-found", Store));
        reads.Should().AllSatisfy(m => m.Unit.Should().Be("ms"));
        var readEvents = _recorder.Activities(StreamTypeTag, type).Should().ContainSingle(a => a.OperationName == "eventstore.read_events").Subject;
        readEvents.GetTagItem("eventstore.event_count").Should().Be(3);
        readEvents.GetTagItem("eventstore.stream_id").Should().Be(id.ToString("D"));
    }

    [Fact]
    public async Task GetStreamTypes_RecordsAnActivityOfTheStoreAndAReadDuration()
    {
        await _client.CreateStreamAsync(NewType());

        // The listing has no stream type to tell this test's activity apart: the trace the request carries does (ASP.NET
        // Core continues it in the request's activity while something listens to its source).
        using var requests = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(requests);
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("streams?limit=1", UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var activity = _recorder.Activities("eventstore.operation", "read_stream_types").Should().ContainSingle(a => a.TraceId == traceId).Subject;
        activity.OperationName.Should().Be("eventstore.read_stream_types");
        activity.GetTagItem("eventstore.store").Should().Be(Store);
        activity.GetTagItem("eventstore.outcome").Should().Be("found");
        activity.GetTagItem("eventstore.stream_type").Should().BeNull();
        _recorder.Measurements("eventstore.server.read.duration", "eventstore.operation", "read_stream_types")
            .Should().Contain(m => Equals(m.Tag("eventstore.store"), Store) && Equals(m.Tag("eventstore.outcome"), "found"));
    }

    [Fact]
    public async Task Append_Committed_CountsNotificationPublishedByTheRelay()
    {
        var type = NewType();

        await _client.CreateStreamAsync(type);

        await Poll.UntilAsync(
            () => _recorder.Measurements("eventstore.server.notifications.relayed", StreamTypeTag, type).Count > 0,
            Patience,
            () => "the relay counting the notification");
        var relayed = _recorder.Measurements("eventstore.server.notifications.relayed", StreamTypeTag, type).Should().ContainSingle().Subject;
        relayed.Tag("eventstore.relay").Should().Be(Relay);
        relayed.Tag("eventstore.result").Should().Be("published");
    }

    private Task<HttpResponseMessage> PutAsync(string type, Guid id, int revision, string json) =>
        _client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json(json));
}

public sealed class ServerTelemetryTestsOnSqlite : ServerTelemetryTests<EventStoreServerFixture>
{
    private readonly EventStoreServerFixture _server;

    public ServerTelemetryTestsOnSqlite(EventStoreServerFixture server)
        : base(server) => _server = server;

    protected override string Store => "sqlite";

    protected override string Relay => "outbox";

    [Fact]
    public async Task Append_Committed_RecordsTheWritesItsCommitCarried()
    {
        using var recorder = new TelemetryRecorder(EventStoreServerTelemetry.ActivitySourceName, EventStoreServerTelemetry.MeterName);
        using var client = _server.CreateHttpClient();

        await client.CreateStreamAsync(NewType());

        recorder.Measurements("eventstore.server.storage.writes_per_commit", "eventstore.store", "sqlite")
            .Should().NotBeEmpty().And.OnlyContain(m => m.Unit == "{write}" && m.Value >= 1);
    }
}

public sealed class ServerTelemetryTestsOnDynamoDb(DynamoDbServerFixture server) : ServerTelemetryTests<DynamoDbServerFixture>(server)
{
    protected override string Store => "dynamodb";

    protected override string Relay => "dynamodb-streams";
}
