using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ServerlessEventStore.Client.Generated;
using ServerlessEventStore.Client.Logging;
using ServerlessEventStore.Client.Paging;
using ServerlessEventStore.Client.Telemetry;
using ServerlessEventStore.Types;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServerlessEventStore.Client;

/// <summary>
/// Client of the event store's HTTP API: creates streams, appends events at an expected revision, and reads streams
/// and events as <see cref="AsyncPageable{T}"/> collections that fetch pages as they are enumerated.
/// </summary>
/// <remarks>
/// <para>
/// Every write carries event ids, so every call can be retried: repeating an append whose events are already stored
/// succeeds without storing them twice. <c>AddEventStoreClient</c> registers the client with retries on.
/// </para>
/// <para>
/// Errors: an error response becomes an <see cref="EventStoreException"/> (or <see cref="StreamNotFoundException"/>,
/// <see cref="WrongExpectedRevisionException"/>). Network failures surface unchanged as
/// <see cref="HttpRequestException"/>, cancellation and <see cref="HttpClient.Timeout"/> as
/// <see cref="OperationCanceledException"/>, and, with the resilience handler, an exhausted time budget or an open
/// circuit as Polly's <c>TimeoutRejectedException</c> / <c>BrokenCircuitException</c>.
/// </para>
/// <para>Thread-safe; meant to be long-lived, like the <see cref="HttpClient"/> it uses.</para>
/// </remarks>
public class EventStoreClient
{
    /// <summary>Most events one append takes, the server's limit.</summary>
    public const int MaxEventsPerAppend = EventStoreLimits.MaxEventsPerAppend;

    private readonly EventStoreTransport _transport = null!;
    private readonly int _pageSize;
    private readonly ILogger _logger = NullLogger.Instance;

    /// <summary>Creates a client that sends its requests with <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">
    /// The HTTP client to use; not disposed by this client. Add handlers (retries, authentication) to it as needed.
    /// </param>
    /// <param name="options">
    /// Settings; the requests go to <see cref="EventStoreClientOptions.BaseAddress"/>, or to the
    /// <see cref="HttpClient.BaseAddress"/> of <paramref name="httpClient"/> when that is not set.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// Neither <paramref name="options"/> nor <paramref name="httpClient"/> has an absolute base address, or the page size
    /// is outside 1 to 1000.
    /// </exception>
    public EventStoreClient(HttpClient httpClient, EventStoreClientOptions? options = null)
        : this(httpClient, options, null)
    {
    }

    /// <summary>Creates a client for mocking: its methods are to be overridden.</summary>
    protected EventStoreClient()
    {
    }

    internal EventStoreClient(HttpClient httpClient, EventStoreClientOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        var baseAddress = options?.BaseAddress ?? httpClient.BaseAddress;
        if (baseAddress is null || !EventStoreClientOptions.IsHttpAddress(baseAddress))
        {
            throw new ArgumentException(
                baseAddress is null
                    ? "The event store's address is unknown: set EventStoreClientOptions.BaseAddress, or HttpClient.BaseAddress, to an absolute http or https URI."
                    : $"The event store's address '{baseAddress}' is not an absolute http or https URI (e.g. http://localhost:5080/, not localhost:5080).",
                nameof(options));
        }

        _pageSize = options?.PageSize ?? new EventStoreClientOptions().PageSize;
        if (_pageSize is < EventStoreClientOptions.MinPageSize or > EventStoreClientOptions.MaxPageSize)
        {
            throw new ArgumentException(
                $"EventStoreClientOptions.PageSize must be {EventStoreClientOptions.MinPageSize} to {EventStoreClientOptions.MaxPageSize}; it is {_pageSize}.",
                nameof(options));
        }

        _transport = new EventStoreTransport(httpClient, baseAddress);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates a stream with a new random id whose first event (revision 1) is <paramref name="initialEvent"/>. The id
    /// is chosen before the request, so retrying the request is safe.
    /// </summary>
    /// <param name="streamType">Type of the stream: 1 to 100 letters, digits, '.', '_' and '-'.</param>
    /// <param name="initialEvent">The first event; gets a new event id if it has none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new stream, at revision 1.</returns>
    /// <exception cref="EventStoreException">The server rejected the request, e.g. 400 for an invalid stream type.</exception>
    public virtual Task<StreamDetails> CreateStreamAsync(
        string streamType,
        NewEvent initialEvent,
        CancellationToken cancellationToken = default) =>
        CreateStreamAsync(streamType, Guid.NewGuid(), initialEvent, cancellationToken);

    /// <summary>
    /// Creates the stream <paramref name="streamId"/> whose first event (revision 1) is <paramref name="initialEvent"/>:
    /// an append at expected revision 0. Repeating it with the same event succeeds without storing it twice.
    /// </summary>
    /// <param name="streamType">Type of the stream: 1 to 100 letters, digits, '.', '_' and '-'.</param>
    /// <param name="streamId">Id of the new stream, chosen by the caller.</param>
    /// <param name="initialEvent">The first event; gets a new event id if it has none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new stream, at revision 1.</returns>
    /// <exception cref="WrongExpectedRevisionException">The stream already exists with other events.</exception>
    /// <exception cref="StreamNotFoundException">A stream with this id exists with another stream type.</exception>
    /// <exception cref="EventStoreException">The server rejected the request, e.g. 400 for an invalid stream type.</exception>
    public virtual Task<StreamDetails> CreateStreamAsync(
        string streamType,
        Guid streamId,
        NewEvent initialEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialEvent);
        return AppendAsync(ClientOperation.CreateStream, streamType, streamId, ExpectedRevision.NoStream, [initialEvent], cancellationToken);
    }

    /// <summary>Appends one event to a stream whose revision is <paramref name="expectedRevision"/>.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expectedRevision">
    /// The stream's current revision as the caller knows it (the number of events it holds); 0 when the stream is not
    /// to exist yet, and is then created. The event gets revision <paramref name="expectedRevision"/> + 1.
    /// </param>
    /// <param name="newEvent">The event; gets a new event id before sending if it has none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream after the append.</returns>
    /// <exception cref="WrongExpectedRevisionException">The stream's revision is not <paramref name="expectedRevision"/>.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id (and <paramref name="expectedRevision"/> is not 0).</exception>
    /// <exception cref="EventStoreException">The server rejected the request otherwise, e.g. 413 for a payload over 256 KB.</exception>
    public virtual Task<StreamDetails> AppendAsync(
        string streamType,
        Guid streamId,
        int expectedRevision,
        NewEvent newEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        return AppendAsync(streamType, streamId, expectedRevision, [newEvent], cancellationToken);
    }

    /// <summary>
    /// Appends events atomically (all or none) to a stream whose revision is <paramref name="expectedRevision"/>.
    /// Events without an id get a new one before sending, so retries of this request are idempotent; to retry the
    /// whole call yourself, give the events ids (as <see cref="NewEvent.Create{T}(string, T, Guid?, object?, System.Text.Json.JsonSerializerOptions?)"/> does) and pass the same ones again.
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expectedRevision">
    /// The stream's current revision as the caller knows it (the number of events it holds); 0 when the stream is not
    /// to exist yet, and is then created. The first event gets revision <paramref name="expectedRevision"/> + 1.
    /// </param>
    /// <param name="events">1 to 99 events, in order.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream after the append.</returns>
    /// <exception cref="ArgumentException">No events, more than 99, a null event, or <paramref name="expectedRevision"/> below 0.</exception>
    /// <exception cref="WrongExpectedRevisionException">The stream's revision is not <paramref name="expectedRevision"/>.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id (and <paramref name="expectedRevision"/> is not 0).</exception>
    /// <exception cref="EventStoreException">The server rejected the request otherwise, e.g. 413 for a payload over 256 KB.</exception>
    public virtual Task<StreamDetails> AppendAsync(
        string streamType,
        Guid streamId,
        int expectedRevision,
        IEnumerable<NewEvent> events,
        CancellationToken cancellationToken = default) =>
        AppendAsync(ClientOperation.Append, streamType, streamId, ExpectedRevision.Exactly(NotNegative(expectedRevision)), events, cancellationToken);

    /// <summary>Appends one event to a stream that is as <paramref name="expectedRevision"/> says.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expectedRevision">What the stream must be; see <see cref="AppendAsync(string, Guid, ExpectedRevision, IEnumerable{NewEvent}, CancellationToken)"/>.</param>
    /// <param name="newEvent">The event; gets a new event id before sending if it has none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream after the append (after the earlier one, for a repeat).</returns>
    /// <exception cref="WrongExpectedRevisionException">An exact expected revision (<see cref="ExpectedRevision.NoStream"/> included) that the stream is not at.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id, and the append needs one.</exception>
    /// <exception cref="EventStoreException">The server rejected the request otherwise, e.g. 409 at the end for an event id already used.</exception>
    public virtual Task<StreamDetails> AppendAsync(
        string streamType,
        Guid streamId,
        ExpectedRevision expectedRevision,
        NewEvent newEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        return AppendAsync(streamType, streamId, expectedRevision, [newEvent], cancellationToken);
    }

    /// <summary>
    /// Appends events atomically (all or none) to a stream that is as <paramref name="expectedRevision"/> says:
    /// <see cref="ExpectedRevision.Any"/> (whatever its revision; created if missing), <see cref="ExpectedRevision.StreamExists"/>,
    /// <see cref="ExpectedRevision.NoStream"/>, or exactly a revision (an <see cref="int"/> converts). At the end
    /// (<c>Any</c>, <c>StreamExists</c>) the events land after the stream's last event, and repeating the call with the
    /// same event ids — however much the stream has grown meanwhile — returns the stream and stores nothing twice.
    /// Events without an id get a new one before sending; to retry the whole call yourself, give them ids.
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="expectedRevision">What the stream must be.</param>
    /// <param name="events">1 to 99 events in order (at the end 1 to 98: the store records the append with them).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream after the append (for a repeat: as it is now).</returns>
    /// <exception cref="ArgumentException">No events, too many, or a null event.</exception>
    /// <exception cref="WrongExpectedRevisionException">An exact expected revision (<see cref="ExpectedRevision.NoStream"/> included) that the stream is not at.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id, and the append needs one (<c>StreamExists</c>, or a revision above 0).</exception>
    /// <exception cref="EventStoreException">
    /// The server rejected the request otherwise: e.g. 409 at the end when the first event's id is that of a stored append
    /// with other events, or 413 for a payload over 256 KB.
    /// </exception>
    public virtual Task<StreamDetails> AppendAsync(
        string streamType,
        Guid streamId,
        ExpectedRevision expectedRevision,
        IEnumerable<NewEvent> events,
        CancellationToken cancellationToken = default) =>
        AppendAsync(ClientOperation.Append, streamType, streamId, expectedRevision, events, cancellationToken);

    /// <summary>
    /// Deletes a stream. <see cref="DeleteMode.Soft"/>: it reads as gone (<see cref="StreamDeletedException"/>), takes no
    /// more events and leaves its type's listing, and its events are kept. <see cref="DeleteMode.Hard"/>: its events are
    /// removed too (the server removes them in bounded batches; this call repeats the request until all are gone).
    /// Either way its id is not used again. Idempotent: deleting a deleted stream succeeds.
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="mode">Soft (the default) or hard.</param>
    /// <param name="expectedRevision">
    /// Delete only if the stream is at this revision (<see cref="ExpectedRevision.Exactly"/>, 1 or more); by default
    /// (<see langword="null"/>, <see cref="ExpectedRevision.Any"/>, <see cref="ExpectedRevision.StreamExists"/>) whatever it is.
    /// </param>
    /// <param name="cancellationToken">Cancels the request (what is removed stays removed; call again to go on).</param>
    /// <returns>A task completing when the stream is deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="expectedRevision"/> is <see cref="ExpectedRevision.NoStream"/>.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id.</exception>
    /// <exception cref="WrongExpectedRevisionException">The stream is not at <paramref name="expectedRevision"/>.</exception>
    public virtual Task DeleteStreamAsync(
        string streamType,
        Guid streamId,
        DeleteMode mode = DeleteMode.Soft,
        ExpectedRevision? expectedRevision = null,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        if (expectedRevision == ExpectedRevision.NoStream)
        {
            throw new ArgumentException("A stream to delete exists: expect its revision, or any.", nameof(expectedRevision));
        }

        var exact = expectedRevision?.Revision;
        var query = exact?.ToString(CultureInfo.InvariantCulture);
        return RemoveAsync(
            ClientOperation.DeleteStream,
            streamType,
            streamId,
            exact,
            () => _transport.DeleteStreamAsync(streamType, streamId, mode, query, cancellationToken));
    }

    /// <summary>
    /// Removes a stream's events before <paramref name="beforeRevision"/>, e.g. once a snapshot holds what they told: the
    /// others keep their revisions, the stream's revision is unchanged, and reads start at <paramref name="beforeRevision"/>.
    /// Repeats the request while the server reports more to remove. Idempotent; a lower revision than an earlier
    /// truncation's removes nothing more.
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="beforeRevision">The first revision to keep: 2 or more, at most the stream's revision + 1 (which keeps none).</param>
    /// <param name="cancellationToken">Cancels the request (what is removed stays removed; call again to go on).</param>
    /// <returns>A task completing when the events are removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beforeRevision"/> is below 2.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id (<see cref="StreamDeletedException"/>: it was deleted).</exception>
    /// <exception cref="EventStoreException">409: <paramref name="beforeRevision"/> is past the stream's revision + 1.</exception>
    public virtual Task TruncateStreamAsync(
        string streamType,
        Guid streamId,
        int beforeRevision,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        ArgumentOutOfRangeException.ThrowIfLessThan(beforeRevision, 2);
        return RemoveAsync(
            ClientOperation.TruncateStream,
            streamType,
            streamId,
            expectedRevision: null,
            () => _transport.TruncateStreamAsync(streamType, streamId, beforeRevision, cancellationToken));
    }

    /// <summary>Reads a stream's details: its current revision and when it was last updated.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id.</exception>
    /// <exception cref="EventStoreException">The server rejected the request otherwise.</exception>
    public virtual Task<StreamDetails> GetStreamAsync(
        string streamType,
        Guid streamId,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        Log.ReadingStream(_logger, streamType, streamId);
        return ClientOperation.RunAsync(ClientOperation.GetStream, streamType, streamId, async _ =>
        {
            try
            {
                var response = await _transport.GetStreamDetailsAsync(streamType, streamId, cancellationToken).ConfigureAwait(false);
                return response.Stream;
            }
            catch (EventStoreTransportException exception)
            {
                throw TransportErrors.ToEventStoreException(exception, streamType, streamId);
            }
        });
    }

    /// <summary>
    /// The streams of a type, least recently updated first, read page by page as they are enumerated. The
    /// continuation token of a page is the server's opaque page key; the last page has one too, after its last stream,
    /// so that a listing resumed from it returns the streams updated since.
    /// </summary>
    /// <param name="streamType">Type of the streams.</param>
    /// <param name="updatedAfter">Only streams updated at or after this time; all when omitted.</param>
    /// <param name="cancellationToken">Cancels every enumeration of the result.</param>
    /// <returns>The streams; each enumeration starts over.</returns>
    /// <exception cref="EventStoreException">The server rejected a page request (thrown while enumerating).</exception>
    public virtual AsyncPageable<StreamDetails> GetStreamsAsync(
        string streamType,
        DateTimeOffset? updatedAfter = null,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        return new PagedResults<StreamDetails>(
            (continuationToken, pageSize, ct) =>
            {
                Log.ReadingStreamPage(_logger, pageSize, streamType);
                return ClientOperation.RunAsync(ClientOperation.GetStreamsPage, streamType, null, async activity =>
                {
                    activity?.SetTag(ClientOperation.PageSizeTag, pageSize);
                    try
                    {
                        var response = await _transport
                            .GetStreamsAsync(streamType, updatedAfter, continuationToken, nextPageKey: null, pageSize, ct)
                            .ConfigureAwait(false);
                        var page = response.StreamPage;
                        activity?.SetTag(ClientOperation.StreamCountTag, page.Streams.Count);
                        // The last page's token is the position after its last stream, as a page key: resumed, it lists the
                        // streams updated since. An empty last page keeps the position it was read from.
                        var position = page.HasMore
                            ? page.NextPageKey
                            : page.Streams.Count > 0 ? StreamPageKeyCodec.Encode(page.Streams[^1].UpdatedAt, page.Streams[^1].StreamId) : continuationToken;
                        return new Page<StreamDetails>(page.Streams, position, page.HasMore);
                    }
                    catch (EventStoreTransportException exception)
                    {
                        throw TransportErrors.ToEventStoreException(exception);
                    }
                });
            },
            _pageSize,
            cancellationToken);
    }

    /// <summary>
    /// The stream types that have streams, read page by page as they are enumerated: a type is listed once its first
    /// stream is created, each type once. The order is the server's own (not alphabetical, not by time) and stays the
    /// same from page to page. The continuation token of a page is the server's opaque page key; the last page has none,
    /// as a position in that order is no point in time: to see the types created since, enumerate again.
    /// </summary>
    /// <param name="cancellationToken">Cancels every enumeration of the result.</param>
    /// <returns>The stream types; each enumeration starts over.</returns>
    /// <exception cref="EventStoreException">The server rejected a page request (thrown while enumerating).</exception>
    public virtual AsyncPageable<string> GetStreamTypesAsync(CancellationToken cancellationToken = default) =>
        new PagedResults<string>(
            (continuationToken, pageSize, ct) =>
            {
                Log.ReadingStreamTypePage(_logger, pageSize);
                return ClientOperation.RunAsync(ClientOperation.GetStreamTypesPage, null, null, async activity =>
                {
                    activity?.SetTag(ClientOperation.PageSizeTag, pageSize);
                    try
                    {
                        var page = (await _transport.GetStreamTypesAsync(continuationToken, pageSize, ct).ConfigureAwait(false)).StreamTypePage;
                        activity?.SetTag(ClientOperation.StreamTypeCountTag, page.StreamTypes.Count);
                        return new Page<string>(page.StreamTypes, page.HasMore ? page.NextPageKey : null, page.HasMore);
                    }
                    catch (EventStoreTransportException exception)
                    {
                        throw TransportErrors.ToEventStoreException(exception);
                    }
                });
            },
            _pageSize,
            cancellationToken);

    /// <summary>
    /// The events of a stream in revision order, read page by page as they are enumerated. The continuation token of a
    /// page is the revision of its last event; the last page has one too (the revision read up to), so that a reader can
    /// save where it stopped and later read what was appended since.
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="afterRevision">Only events after this revision; 0 (all events) when omitted.</param>
    /// <param name="cancellationToken">Cancels every enumeration of the result.</param>
    /// <returns>The events; each enumeration starts over.</returns>
    /// <exception cref="ArgumentException"><paramref name="afterRevision"/> is negative; a continuation token is not one of these.</exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id (thrown while enumerating).</exception>
    /// <exception cref="EventStoreException">The server rejected a page request (thrown while enumerating).</exception>
    public virtual AsyncPageable<RecordedEvent> GetEventsAsync(
        string streamType,
        Guid streamId,
        int afterRevision = 0,
        CancellationToken cancellationToken = default) =>
        GetEventsAsync(streamType, streamId, ReadDirection.Forward, afterRevision, beforeRevision: null, cancellationToken);

    /// <summary>
    /// The events of a stream whose revisions lie strictly between <paramref name="afterRevision"/> and
    /// <paramref name="beforeRevision"/>, forward (lowest first) or backward (highest first), read page by page as they
    /// are enumerated: e.g. backward to read a stream from its end, or forward up to a revision to rebuild an entity as
    /// it was then. The continuation token of a page is the revision of its last event (also on the last page).
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="direction">The order: <see cref="ReadDirection.Forward"/> or <see cref="ReadDirection.Backward"/>.</param>
    /// <param name="afterRevision">Only events after this revision; 0 (no lower bound) when omitted.</param>
    /// <param name="beforeRevision">Only events before this revision; no upper bound when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels every enumeration of the result.</param>
    /// <returns>The events; each enumeration starts over.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="afterRevision"/> is negative, <paramref name="beforeRevision"/> below 1, or a continuation token is
    /// not one of these.
    /// </exception>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id (thrown while enumerating).</exception>
    /// <exception cref="EventStoreException">The server rejected a page request (thrown while enumerating).</exception>
    public virtual AsyncPageable<RecordedEvent> GetEventsAsync(
        string streamType,
        Guid streamId,
        ReadDirection direction,
        int afterRevision = 0,
        int? beforeRevision = null,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        if (beforeRevision is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beforeRevision), beforeRevision, "The revision to read before must be 1 or more.");
        }

        var backward = direction == ReadDirection.Backward;
        return new PagedResults<RecordedEvent>(
            (continuationToken, pageSize, ct) =>
            {
                // The token is the last revision read: the next page starts after it forward, before it backward.
                var after = !backward && continuationToken is not null ? ParseRevisionToken(continuationToken) : afterRevision;
                var before = backward && continuationToken is not null ? ParseRevisionToken(continuationToken) : beforeRevision;
                Log.ReadingEventPage(_logger, pageSize, streamType, streamId, after);
                return ClientOperation.RunAsync(ClientOperation.GetEventsPage, streamType, streamId, async activity =>
                {
                    activity?.SetTag(ClientOperation.PageSizeTag, pageSize);
                    activity?.SetTag(ClientOperation.AfterRevisionTag, after);
                    activity?.SetTag(ClientOperation.BeforeRevisionTag, before);
                    activity?.SetTag(ClientOperation.DirectionTag, backward ? "backward" : "forward");
                    try
                    {
                        // A forward read sends only what the original API knows.
                        var response = await _transport
                            .GetEventsAsync(streamType, streamId, after, before, backward ? ReadDirection.Backward : null, pageSize, ct)
                            .ConfigureAwait(false);
                        var page = response.EventPage;
                        activity?.SetTag(ClientOperation.EventCountTag, page.Events.Count);
                        var position = page.LastEvaluatedRevision ?? (backward ? before : after);
                        return new Page<RecordedEvent>(page.Events, position?.ToString(CultureInfo.InvariantCulture), page.HasMore);
                    }
                    catch (EventStoreTransportException exception)
                    {
                        throw TransportErrors.ToEventStoreException(exception, streamType, streamId);
                    }
                });
            },
            _pageSize,
            cancellationToken);
    }

    /// <summary>
    /// Reads the last event of a stream: one request (a backward read of one event), e.g. to learn what happened last
    /// or to load the newest snapshot.
    /// </summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The event with the highest revision, or <see langword="null"/> when the stream holds none.</returns>
    /// <exception cref="StreamNotFoundException">No stream of this type has this id.</exception>
    /// <exception cref="EventStoreException">The server rejected the request otherwise.</exception>
    public virtual async Task<RecordedEvent?> ReadLastEventAsync(
        string streamType,
        Guid streamId,
        CancellationToken cancellationToken = default)
    {
        await foreach (var page in GetEventsAsync(streamType, streamId, ReadDirection.Backward, cancellationToken: cancellationToken)
            .AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            return page.Values.Count > 0 ? page.Values[0] : null;
        }

        return null;
    }

    /// <summary>
    /// The events of every stream of a type after <paramref name="checkpoint"/> (from the start when omitted), read page
    /// by page as they are enumerated, up to the end as it is when the last page is read. Each event comes with the
    /// checkpoint after it; a page's continuation token is the checkpoint it read up to (also on the last page), so that
    /// a reader can save where it stopped and later read what was appended since. To read on and follow new events, use
    /// <see cref="SubscribeToStreamTypeAsync"/>.
    /// </summary>
    /// <remarks>
    /// Each stream's events come in revision order, without gaps. Across streams: on the embedded store in the order the
    /// appends committed; on DynamoDB in the order of the events' times (then stream id, then revision), each event once it
    /// is older than the server's settle window (<c>EventStore:DynamoDb:SettleWindow</c>).
    /// </remarks>
    /// <param name="streamType">Type of the streams.</param>
    /// <param name="checkpoint">A checkpoint the server handed out (of an event, or a page's); <see langword="null"/> for all events.</param>
    /// <param name="cancellationToken">Cancels every enumeration of the result.</param>
    /// <returns>The events with their checkpoints; each enumeration starts over from <paramref name="checkpoint"/>.</returns>
    /// <exception cref="EventStoreException">The server rejected a page request, e.g. 400 for a checkpoint it did not hand out (thrown while enumerating).</exception>
    public virtual AsyncPageable<SubscribedEvent> GetStreamTypeEventsAsync(
        string streamType,
        string? checkpoint = null,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        return new PagedResults<SubscribedEvent>(
            (continuationToken, pageSize, ct) =>
            {
                var after = continuationToken ?? checkpoint;
                Log.ReadingStreamTypeEventPage(_logger, pageSize, streamType, after);
                return ClientOperation.RunAsync(ClientOperation.GetStreamTypeEventsPage, streamType, null, async activity =>
                {
                    activity?.SetTag(ClientOperation.PageSizeTag, pageSize);
                    try
                    {
                        var response = await _transport.GetStreamTypeEventsAsync(streamType, after, pageSize, ct).ConfigureAwait(false);
                        var page = response.StreamTypeEventPage;
                        activity?.SetTag(ClientOperation.EventCountTag, page.Events.Count);
                        return new Page<SubscribedEvent>(page.Events, page.Checkpoint, page.HasMore);
                    }
                    catch (EventStoreTransportException exception)
                    {
                        throw TransportErrors.ToEventStoreException(exception);
                    }
                });
            },
            _pageSize,
            cancellationToken);
    }

    /// <summary>
    /// A catch-up subscription to a stream type: replays every event of the type after <paramref name="checkpoint"/>
    /// (from the start when omitted), then follows new events as they are appended, polling every
    /// <see cref="SubscriptionOptions.PollInterval"/> once it has read all there is. Save
    /// <see cref="SubscribedEvent.Checkpoint"/> after handling each event (with what the handling stored, ideally) and
    /// pass it here to resume: the subscription then goes on with the events after it, none twice.
    /// </summary>
    /// <remarks>
    /// The order is that of <see cref="GetStreamTypeEventsAsync"/>: each stream's events in revision order, without gaps;
    /// across streams the order of the commits (embedded store) or of the events' times (DynamoDB). The enumeration does
    /// not end when it reaches the end: only when <paramref name="cancellationToken"/> (or the one given to
    /// <c>WithCancellation</c>) is canceled, with <see cref="OperationCanceledException"/>, or when a request fails (after
    /// the HTTP client's own retries), with its exception; resume from the last checkpoint saved.
    /// </remarks>
    /// <param name="streamType">Type of the streams.</param>
    /// <param name="checkpoint">The checkpoint saved after the last event handled; <see langword="null"/> to start from the first event.</param>
    /// <param name="options">Poll interval, page size and clock; the defaults when omitted.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, each with the checkpoint to save after it; endless.</returns>
    /// <exception cref="ArgumentException">The poll interval is not positive, or the page size outside 1 to 1000.</exception>
    /// <exception cref="EventStoreException">The server rejected a request, e.g. 400 for a checkpoint it did not hand out (thrown while enumerating).</exception>
    public virtual IAsyncEnumerable<SubscribedEvent> SubscribeToStreamTypeAsync(
        string streamType,
        string? checkpoint = null,
        SubscriptionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamType(streamType);
        options ??= new SubscriptionOptions();
        if (options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SubscriptionOptions.PollInterval must be more than zero; it is {options.PollInterval}.", nameof(options));
        }

        if (options.PageSize is < EventStoreClientOptions.MinPageSize or > EventStoreClientOptions.MaxPageSize)
        {
            throw new ArgumentException(
                $"SubscriptionOptions.PageSize must be {EventStoreClientOptions.MinPageSize} to {EventStoreClientOptions.MaxPageSize}; it is {options.PageSize}.",
                nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        return SubscribeAsync(streamType, checkpoint, options.PollInterval, options.PageSize ?? _pageSize, options.TimeProvider, cancellationToken);
    }

    private async IAsyncEnumerable<SubscribedEvent> SubscribeAsync(
        string streamType,
        string? checkpoint,
        TimeSpan pollInterval,
        int pageSize,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = GetStreamTypeEventsAsync(streamType, checkpoint, cancellationToken);
        while (true)
        {
            await foreach (var page in events.AsPages(checkpoint, pageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var subscribed in page.Values)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return subscribed;
                }

                checkpoint = page.ContinuationToken;
            }

            // At the end as of now: ask again after the poll interval.
            await Task.Delay(pollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<StreamDetails> AppendAsync(
        string operation,
        string streamType,
        Guid streamId,
        ExpectedRevision expectedRevision,
        IEnumerable<NewEvent> events,
        CancellationToken cancellationToken)
    {
        ValidateStreamType(streamType);
        ArgumentNullException.ThrowIfNull(events);
        var exact = expectedRevision.Revision;
        var request = CreateAppendRequest(events, exact is null ? EventStoreLimits.MaxEventsPerAppendAtTheEnd : MaxEventsPerAppend);
        var count = request.Event is null ? request.Events!.Count : 1;

        Log.Appending(_logger, count, streamType, streamId, expectedRevision.ToString());
        return ClientOperation.RunAsync(operation, streamType, streamId, async activity =>
        {
            activity?.SetTag(ClientOperation.ExpectedRevisionTag, exact is { } tagged ? tagged : expectedRevision.ToString());
            activity?.SetTag(ClientOperation.EventCountTag, count);
            try
            {
                // An exact revision goes the way the original API knows (PUT at the first new revision); the end by POST.
                var response = exact is { } revision
                    ? await _transport.AppendEventsAsync(streamType, streamId, revision + 1, request, cancellationToken).ConfigureAwait(false)
                    : await _transport.AppendToStreamAsync(streamType, streamId, request, expectedRevision.ToString(), cancellationToken).ConfigureAwait(false);
                return response.Stream;
            }
            catch (EventStoreTransportException exception)
            {
                // At the end a 409 is not about the revision: the first event id is that of another stored append.
                throw TransportErrors.ToEventStoreException(exception, streamType, streamId, exact);
            }
        });
    }

    // A removal the server does in bounded batches answers 202 until it is done: each request goes on where the last stopped.
    private static Task<bool> RemoveAsync(string operation, string streamType, Guid streamId, int? expectedRevision, Func<Task<RemovalResult>> send) =>
        ClientOperation.RunAsync(operation, streamType, streamId, async _ =>
        {
            try
            {
                while (!(await send().ConfigureAwait(false)).Complete)
                {
                }

                return true;
            }
            catch (EventStoreTransportException exception)
            {
                throw TransportErrors.ToEventStoreException(exception, streamType, streamId, expectedRevision);
            }
        });

    private static int NotNegative(int expectedRevision, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(expectedRevision))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision, name);
        return expectedRevision;
    }

    private static void ValidateStreamType(string streamType)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamType);
        if (streamType is "." or "..")
        {
            // Dot segments: the request's URL would be normalised to another path.
            throw new ArgumentException($"'{streamType}' can't be a stream type: a URL can't address it.", nameof(streamType));
        }
    }

    private static int ParseRevisionToken(string continuationToken) =>
        int.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw new ArgumentException($"'{continuationToken}' is not a continuation token of this stream's events.", nameof(continuationToken));

    // Ids are assigned here, before the first attempt, so that a retried request carries the same ids.
    private static AppendEventsRequest CreateAppendRequest(IEnumerable<NewEvent> events, int maxEvents)
    {
        var list = new List<NewEvent>();
        foreach (var newEvent in events)
        {
            if (newEvent is null)
            {
                throw new ArgumentException("The events must not contain null.", nameof(events));
            }

            if (newEvent.Payload.ValueKind == JsonValueKind.Undefined)
            {
                throw new ArgumentException("Every event needs a payload: a JSON value (JSON null included).", nameof(events));
            }

            list.Add(newEvent.EventId is null
                ? new NewEvent(Guid.NewGuid(), newEvent.EventType, newEvent.Metadata, newEvent.Payload)
                : newEvent);
        }

        if (list.Count == 0 || list.Count > maxEvents)
        {
            throw new ArgumentException($"An append takes 1 to {maxEvents} events; there are {list.Count}.", nameof(events));
        }

        // One event goes as {event}, the shape the original API knows; several as the atomic batch {events}.
        return list.Count == 1 ? new AppendEventsRequest(list[0], null) : new AppendEventsRequest(null, list);
    }
}
