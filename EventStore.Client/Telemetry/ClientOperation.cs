using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ServerlessEventStore.Client.Telemetry;

/// <summary>
/// The client's activities and instruments: an activity per operation (a page fetch is one), a histogram of their
/// durations, counters of wrong expected revisions and of streams not found. Static, as the client is created without
/// dependency injection too; listeners (OpenTelemetry) pick them up by name.
/// </summary>
internal static class ClientOperation
{
    public const string CreateStream = "create_stream";
    public const string Append = "append";
    public const string GetStream = "get_stream";
    public const string DeleteStream = "delete_stream";
    public const string TruncateStream = "truncate_stream";
    public const string GetStreamsPage = "get_streams_page";
    public const string GetEventsPage = "get_events_page";
    public const string GetStreamTypesPage = "get_stream_types_page";
    public const string GetStreamTypeEventsPage = "get_stream_type_events_page";

    public const string ExpectedRevisionTag = "eventstore.expected_revision";
    public const string EventCountTag = "eventstore.event_count";
    public const string StreamCountTag = "eventstore.stream_count";
    public const string StreamTypeCountTag = "eventstore.stream_type_count";
    public const string PageSizeTag = "eventstore.page_size";
    public const string AfterRevisionTag = "eventstore.after_revision";
    public const string BeforeRevisionTag = "eventstore.before_revision";
    public const string DirectionTag = "eventstore.direction";

    private const string OperationTag = "eventstore.operation";
    private const string StreamTypeTag = "eventstore.stream_type";
    private const string StreamIdTag = "eventstore.stream_id";
    private const string OutcomeTag = "eventstore.outcome";
    private const string ErrorTypeTag = "error.type";

    private static readonly string? Version = typeof(ClientOperation).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(EventStoreClientTelemetry.ActivitySourceName, Version);
    private static readonly Meter Meter = new(EventStoreClientTelemetry.MeterName, Version);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "eventstore.client.operation.duration", "ms", "Duration of the client's operations, retries included.");

    private static readonly Counter<long> WrongExpectedRevisions = Meter.CreateCounter<long>(
        "eventstore.client.wrong_expected_revisions", "{append}", "Appends rejected because the stream was not at the expected revision.");

    private static readonly Counter<long> StreamsNotFound = Meter.CreateCounter<long>(
        "eventstore.client.streams_not_found", "{operation}", "Operations answered with: no such stream.");

    /// <summary>Runs one operation in its activity; records its duration and outcome, and counts the failures of note.</summary>
    public static async Task<T> RunAsync<T>(string operation, string? streamType, Guid? streamId, Func<Activity?, Task<T>> send)
    {
        using var activity = Source.StartActivity("eventstore.client." + operation);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OperationTag, operation);
            activity.SetTag(StreamTypeTag, streamType);
            if (streamId is { } id)
            {
                activity.SetTag(StreamIdTag, id.ToString("D"));
            }
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await send(activity).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            outcome = exception switch
            {
                WrongExpectedRevisionException => "wrong-expected-revision",
                StreamNotFoundException => "not-found",
                OperationCanceledException => "canceled",
                _ => "error",
            };
            var tags = new TagList { { OperationTag, operation }, { StreamTypeTag, streamType } };
            if (exception is WrongExpectedRevisionException)
            {
                WrongExpectedRevisions.Add(1, tags);
            }
            else if (exception is StreamNotFoundException)
            {
                StreamsNotFound.Add(1, tags);
            }

            activity?.SetTag(ErrorTypeTag, exception.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            activity?.SetTag(OutcomeTag, outcome);
            Duration.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new TagList { { OperationTag, operation }, { StreamTypeTag, streamType }, { OutcomeTag, outcome } });
        }
    }
}
