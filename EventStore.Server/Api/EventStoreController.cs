using ServerlessEventStore.Server.Generated;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The HTTP API of the contract (routes and bindings come from the generated base class): validates requests, hands
/// them to the storage port and maps its outcomes to status codes and problem details.
/// </summary>
/// <param name="storage">The store.</param>
/// <param name="timeProvider">Clock of the liveness check.</param>
[ApiController]
public sealed class EventStoreController(IEventStorage storage, TimeProvider timeProvider) : EventStoreContractControllerBase
{
    /// <inheritdoc />
    public override Task<ActionResult<SystemStatus>> GetLiveness(CancellationToken cancellationToken = default) =>
        Task.FromResult<ActionResult<SystemStatus>>(new SystemStatus(timeProvider.GetUtcNow(), "ok"));

    /// <inheritdoc />
    public override async Task<ActionResult<StreamResponse>> CreateStream(string streamType, [FromBody] CreateStreamRequest body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequestValidator.ValidateStreamType(ModelState, streamType);
        (string Field, NewEvent? Event)[] fields = [("initialEvent", body.InitialEvent)];
        var events = RequestValidator.ReadEvents(ModelState, fields);
        return await AppendAsync(streamType, Guid.NewGuid(), ExpectedRevision.NoStream, events, [.. fields.Select(f => f.Field)], "streamRevision", cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<ActionResult<StreamPageResponse>> GetStreams(
        string streamType,
        [FromQuery(Name = "updated-after")] DateTimeOffset? updated_after = null,
        [FromQuery(Name = "stream-next-page-key")] string? stream_next_page_key = null,
        [FromQuery] string? nextPageKey = null,
        [FromQuery] int? limit = EventStoreLimits.DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        RequestValidator.ValidateStreamType(ModelState, streamType);
        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(ModelState, pageSize);
        StreamPageKey? after = null;
        var key = stream_next_page_key ?? nextPageKey;
        if (!string.IsNullOrEmpty(key) && !StreamPageKey.TryDecode(key, out after))
        {
            ModelState.AddModelError(stream_next_page_key is null ? "nextPageKey" : "stream-next-page-key", "The page key is not one this server handed out.");
        }

        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        var page = await storage.GetStreamsAsync(streamType, updated_after ?? DateTimeOffset.MinValue, after, pageSize, cancellationToken);
        return new StreamPageResponse(page);
    }

    /// <inheritdoc />
    public override async Task<ActionResult<StreamTypePageResponse>> GetStreamTypes(
        [FromQuery(Name = "next-page-key")] string? next_page_key = null,
        [FromQuery] int? limit = EventStoreLimits.DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(ModelState, pageSize);
        var after = RequestValidator.ReadStreamTypePageKey(ModelState, "next-page-key", next_page_key);
        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        return new StreamTypePageResponse(await storage.GetStreamTypesAsync(after, pageSize, cancellationToken));
    }

    /// <inheritdoc />
    public override async Task<ActionResult<StreamResponse>> GetStreamDetails(string streamType, Guid streamId, CancellationToken cancellationToken = default)
    {
        RequestValidator.ValidateStreamType(ModelState, streamType);
        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        try
        {
            var stream = await storage.GetStreamAsync(streamType, streamId, cancellationToken);
            return stream is null ? StreamNotFound(streamType, streamId) : new StreamResponse(stream);
        }
        catch (StreamDeletedException)
        {
            return StreamDeleted(streamType, streamId);
        }
    }

    /// <inheritdoc />
    public override async Task<ActionResult<StreamResponse>> AppendEvents(string streamType, Guid streamId, int streamRevision, [FromBody] AppendEventsRequest body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequestValidator.ValidateStreamType(ModelState, streamType);
        if (streamRevision < 1)
        {
            ModelState.AddModelError("streamRevision", "The revision of the first new event must be 1 or more.");
        }

        var fields = RequestValidator.SelectEvents(ModelState, body);
        var events = RequestValidator.ReadEvents(ModelState, fields);

        // The path names the revision of the first new event; the store takes the revision the stream must be at.
        return await AppendAsync(streamType, streamId, ExpectedRevision.Exactly(Math.Max(streamRevision - 1, 0)), events, [.. fields.Select(f => f.Field)], "streamRevision", cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<ActionResult<StreamResponse>> AppendToStream(
        string streamType,
        Guid streamId,
        [FromBody] AppendEventsRequest body,
        [FromQuery(Name = "expected-revision")] string? expected_revision = "any",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequestValidator.ValidateStreamType(ModelState, streamType);
        var expected = RequestValidator.ReadExpectedRevision(ModelState, Request.Query, "expected-revision");
        var fields = RequestValidator.SelectEvents(ModelState, body);
        var events = RequestValidator.ReadEvents(ModelState, fields);
        return await AppendAsync(streamType, streamId, expected, events, [.. fields.Select(f => f.Field)], "expected-revision", cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<ActionResult<EventPageResponse>> GetEvents(
        string streamType,
        Guid streamId,
        [FromQuery(Name = "after-revision")] int? after_revision = 0,
        [FromQuery(Name = "before-revision")] int? before_revision = null,
        [FromQuery] ReadDirection? direction = null,
        [FromQuery] int? limit = EventStoreLimits.DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        RequestValidator.ValidateStreamType(ModelState, streamType);
        var afterRevision = after_revision ?? 0;
        if (afterRevision < 0)
        {
            ModelState.AddModelError("after-revision", "The revision to read after must be 0 or more.");
        }

        if (before_revision < 1)
        {
            ModelState.AddModelError("before-revision", "The revision to read before must be 1 or more.");
        }

        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(ModelState, pageSize);
        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        var read = new EventRead(streamType, streamId, afterRevision, before_revision, direction ?? ReadDirection.Forward, pageSize);
        try
        {
            var page = await storage.GetEventsAsync(read, cancellationToken);
            return page is null ? StreamNotFound(streamType, streamId) : new EventPageResponse(page);
        }
        catch (StreamDeletedException)
        {
            return StreamDeleted(streamType, streamId);
        }
    }

    /// <inheritdoc />
    public override async Task<ActionResult<RemovalResult>> DeleteStream(
        string streamType,
        Guid streamId,
        [FromQuery] DeleteMode? mode = null,
        [FromQuery(Name = "expected-revision")] string? expected_revision = "any",
        CancellationToken cancellationToken = default)
    {
        RequestValidator.ValidateStreamType(ModelState, streamType);
        var expected = RequestValidator.ReadExpectedRevision(ModelState, Request.Query, "expected-revision");
        if (expected == ExpectedRevision.NoStream)
        {
            ModelState.AddModelError("expected-revision", "A stream to delete exists: expect 'any', 'stream-exists' or its revision (1 or more).");
        }

        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        var removal = StreamRemoval.Delete(streamType, streamId, mode ?? DeleteMode.Soft, expected.Revision);
        return Answer(removal, await storage.RemoveAsync(removal, cancellationToken));
    }

    /// <inheritdoc />
    public override async Task<ActionResult<RemovalResult>> TruncateStream(
        string streamType,
        Guid streamId,
        [FromQuery(Name = "before-revision")] int before_revision,
        CancellationToken cancellationToken = default)
    {
        RequestValidator.ValidateStreamType(ModelState, streamType);
        if (!Request.Query.ContainsKey("before-revision"))
        {
            ModelState.AddModelError("before-revision", "Give the first revision to keep as before-revision.");
        }
        else if (ModelState.IsValid && before_revision < 2)
        {
            ModelState.AddModelError("before-revision", "The first revision to keep must be 2 or more (1 keeps every event).");
        }

        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        var removal = StreamRemoval.Truncate(streamType, streamId, before_revision);
        return Answer(removal, await storage.RemoveAsync(removal, cancellationToken));
    }

    private ObjectResult Answer(StreamRemoval removal, RemovalOutcome outcome) => outcome switch
    {
        RemovalOutcome.Removed => Ok(new RemovalResult(complete: true)),
        RemovalOutcome.MoreToRemove => StatusCode(StatusCodes.Status202Accepted, new RemovalResult(complete: false)),
        RemovalOutcome.StreamNotFound => StreamNotFound(removal.StreamType, removal.StreamId),
        RemovalOutcome.StreamDeleted => StreamDeleted(removal.StreamType, removal.StreamId),
        RemovalOutcome.WrongExpectedRevision conflict when removal.Mode is null => ProblemResult(
            StatusCodes.Status409Conflict,
            "Revision past the stream's end.",
            $"The stream is at revision {conflict.CurrentRevision}: before-revision can be at most {(long)conflict.CurrentRevision + 1}.",
            conflict.CurrentRevision),
        RemovalOutcome.WrongExpectedRevision conflict => ProblemResult(
            StatusCodes.Status409Conflict,
            "Wrong expected revision.",
            $"The stream is at revision {conflict.CurrentRevision}, not at the expected revision.",
            conflict.CurrentRevision),
        _ => throw new InvalidOperationException("Unknown removal outcome."),
    };

/// <inheritdoc />
    public override async Task<ActionResult<StreamTypeEventPageResponse>> GetStreamTypeEvents(
        string streamType,
        [FromQuery] string? checkpoint = null,
        [FromQuery] int? limit = EventStoreLimits.DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        RequestValidator.ValidateStreamType(ModelState, streamType);
        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(ModelState, pageSize);
        var after = EventCheckpoint.Start;
        if (Request.Query["checkpoint"] is { Count: > 1 } given)
        {
            // Which one would count is a guess: none does (as for the numbers of the API).
            ModelState.AddModelError("checkpoint", $"'checkpoint' is given {given.Count} times; give it once.");
        }
        else if (checkpoint is not null && !EventCheckpoint.TryDecode(checkpoint, out after))
        {
            ModelState.AddModelError("checkpoint", "The checkpoint is not one this server handed out.");
        }

        if (!ModelState.IsValid)
        {
            return ValidationProblem(ModelState);
        }

        return new StreamTypeEventPageResponse(await storage.GetStreamTypeEventsAsync(streamType, after!, pageSize, cancellationToken));
    }

    private async Task<ActionResult<StreamResponse>> AppendAsync(
        string streamType, Guid streamId, ExpectedRevision expected, List<EventToAppend> events, IReadOnlyList<string> fields, string revisionField, CancellationToken cancellationToken)
    {
        // The request's problems and the append's, reported together.
        if (!StreamAppend.TryCreate(streamType, streamId, expected, events, out var append, out var problems) || !ModelState.IsValid)
        {
            return RequestValidator.MapProblems(ModelState, problems, fields, revisionField) is { } tooLarge
                ? PayloadTooLarge(tooLarge)
                : ValidationProblem(ModelState);
        }

        var outcome = await storage.AppendAsync(append, cancellationToken);
        return outcome switch
        {
            AppendOutcome.Appended appended => Created(
                $"/streams/{Uri.EscapeDataString(append.StreamType)}/{append.StreamId:D}/details",
                new StreamResponse(appended.Stream)),
            AppendOutcome.AlreadyAppended repeated => Ok(new StreamResponse(repeated.Stream)),
            AppendOutcome.WrongExpectedRevision conflict when append.IsAtTheEnd => ProblemResult(
                StatusCodes.Status409Conflict,
                "Event id already used.",
                $"An append whose first event has the id {append.FirstEventId:D} is stored in this stream with other events (the stream is at revision {conflict.CurrentRevision}): give new events new ids.",
                conflict.CurrentRevision),
            AppendOutcome.WrongExpectedRevision conflict => ProblemResult(
                StatusCodes.Status409Conflict,
                "Wrong expected revision.",
                $"The stream is at revision {conflict.CurrentRevision}: an append must expect that revision (its first event at revision {conflict.CurrentRevision + 1}).",
                conflict.CurrentRevision),
            AppendOutcome.StreamNotFound => StreamNotFound(append.StreamType, append.StreamId),
            AppendOutcome.StreamDeleted => StreamDeleted(append.StreamType, append.StreamId),
            _ => throw new InvalidOperationException("Unknown append outcome."),
        };
    }

    private ObjectResult StreamNotFound(string streamType, Guid streamId) => ProblemResult(
        StatusCodes.Status404NotFound,
        "Stream not found.",
        $"No stream of type '{streamType}' has the id {streamId:D}.");

    private ObjectResult StreamDeleted(string streamType, Guid streamId) => ProblemResult(
        StatusCodes.Status410Gone,
        "Stream deleted.",
        $"The stream of type '{streamType}' with the id {streamId:D} was deleted: it takes no events, and its id is not used again.");

    private ObjectResult PayloadTooLarge(string detail) => ProblemResult(StatusCodes.Status413PayloadTooLarge, "Payload too large.", detail);

    private ObjectResult ProblemResult(int status, string title, string detail, int? currentRevision = null)
    {
        var problem = ProblemDetailsFactory.CreateProblemDetails(HttpContext, status, title, detail: detail, instance: Request.Path);
        if (currentRevision is { } revision)
        {
            problem.Extensions["currentRevision"] = revision;
        }

        return new ObjectResult(problem) { StatusCode = status };
    }
}
