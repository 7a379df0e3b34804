using System.Diagnostics;
using EventStore.Testing;
using EventStore.Testing.Telemetry;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests.Telemetry;

/// <summary>The client's activities and instruments, seen through the BCL's listeners, against the real server.</summary>
public sealed class ClientTelemetryTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>, IDisposable
{
    private const string StreamTypeTag = "eventstore.stream_type";
    private const string Duration = "eventstore.client.operation.duration";

    private readonly EventStoreClient _client = fixture.CreateClient(pageSize: 2);
    private readonly TelemetryRecorder _recorder = new(EventStoreClientTelemetry.ActivitySourceName, EventStoreClientTelemetry.MeterName);

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Operations_EachRecordsAnActivityWithTagsAndADuration()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();

        await _client.CreateStreamAsync(streamType, streamId, CountedEvent(1));
        await _client.AppendAsync(streamType, streamId, 1, [CountedEvent(2), CountedEvent(3)]);
        await _client.GetStreamAsync(streamType, streamId);
        var events = await _client.GetEventsAsync(streamType, streamId).ToListAsync();
        var streams = await _client.GetStreamsAsync(streamType).ToListAsync();

        (events.Count, streams.Count).Should().Be((3, 1));
        var activities = _recorder.Activities(StreamTypeTag, streamType);
        activities.Select(a => a.OperationName).Should().Equal(
            "eventstore.client.create_stream",
            "eventstore.client.append",
            "eventstore.client.get_stream",
            "eventstore.client.get_events_page",
            "eventstore.client.get_events_page",
            "eventstore.client.get_streams_page");
        activities.Should().AllSatisfy(a =>
        {
            a.GetTagItem("eventstore.outcome").Should().Be("ok");
            a.Status.Should().Be(ActivityStatusCode.Unset);
        });
        activities[1].GetTagItem("eventstore.stream_id").Should().Be(streamId.ToString("D"));
        activities[1].GetTagItem("eventstore.expected_revision").Should().Be(1);
        activities[1].GetTagItem("eventstore.event_count").Should().Be(2);
        activities[3].GetTagItem("eventstore.event_count").Should().Be(2);
        activities[4].GetTagItem("eventstore.after_revision").Should().Be(2);
        activities[5].GetTagItem("eventstore.stream_count").Should().Be(1);

        var durations = _recorder.Measurements(Duration, StreamTypeTag, streamType);
        durations.Select(m => m.Tag("eventstore.operation")).Should().Equal(
            "create_stream", "append", "get_stream", "get_events_page", "get_events_page", "get_streams_page");
        durations.Should().AllSatisfy(m =>
        {
            m.Unit.Should().Be("ms");
            m.Value.Should().BeGreaterThan(0);
            m.Tag("eventstore.outcome").Should().Be("ok");
        });
    }

    [Fact]
    public async Task GetStreamTypesAsync_Page_RecordsAnActivityWithThePageSizeAndCount()
    {
        await _client.CreateStreamAsync(NewStreamType(), CountedEvent(1));

        // The listing has no stream type to tell this test's activity apart: its trace does.
        using var parent = new Activity("stream-types-test").Start();
        var page = await _client.GetStreamTypesAsync().AsPages(pageSizeHint: 1).FirstAsync();
        parent.Stop();

        page.Values.Should().ContainSingle();
        var activity = _recorder.Activities("eventstore.operation", "get_stream_types_page").Should().ContainSingle(a => a.TraceId == parent.TraceId).Subject;
        activity.OperationName.Should().Be("eventstore.client.get_stream_types_page");
        activity.GetTagItem("eventstore.page_size").Should().Be(1);
        activity.GetTagItem("eventstore.stream_type_count").Should().Be(1);
        activity.GetTagItem("eventstore.stream_type").Should().BeNull();
        activity.GetTagItem("eventstore.outcome").Should().Be("ok");
    }

    [Fact]
    public async Task AppendAsync_WrongExpectedRevision_CountsItAndMarksTheActivityFailed()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));

        var append = () => _client.AppendAsync(streamType, created.StreamId, 0, CountedEvent(2));

        await append.Should().ThrowAsync<WrongExpectedRevisionException>();
        _recorder.Measurements("eventstore.client.wrong_expected_revisions", StreamTypeTag, streamType)
            .Should().ContainSingle().Which.Tag("eventstore.operation").Should().Be("append");
        var activity = _recorder.Activities(StreamTypeTag, streamType)[^1];
        activity.GetTagItem("eventstore.outcome").Should().Be("wrong-expected-revision");
        activity.Status.Should().Be(ActivityStatusCode.Error);
        _recorder.Measurements(Duration, StreamTypeTag, streamType).Select(m => m.Tag("eventstore.outcome")).Should().Equal("ok", "wrong-expected-revision");
    }

    [Fact]
    public async Task Reads_UnknownStream_CountNotFound()
    {
        var streamType = NewStreamType();

        await FluentActions.Awaiting(() => _client.GetStreamAsync(streamType, Guid.NewGuid())).Should().ThrowAsync<StreamNotFoundException>();
        await FluentActions.Awaiting(() => _client.GetEventsAsync(streamType, Guid.NewGuid()).ToListAsync().AsTask()).Should().ThrowAsync<StreamNotFoundException>();

        _recorder.Measurements("eventstore.client.streams_not_found", StreamTypeTag, streamType).Select(m => m.Tag("eventstore.operation"))
            .Should().Equal("get_stream", "get_events_page");
        _recorder.Activities(StreamTypeTag, streamType).Should().AllSatisfy(a => a.GetTagItem("eventstore.outcome").Should().Be("not-found"));
    }
}
