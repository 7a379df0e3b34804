using ServerlessEventStore.Server.Generated;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The HTTP API of the contract (routes and bindings come from the generated <see cref="EventStoreContractRoutes"/>):
/// validates requests, hands them to the storage port and maps its outcomes to status codes and problem details.
/// </summary>
/// <param name="storage">The store.</param>
/// <param name="timeProvider">Clock of the liveness check.</param>
internal sealed class EventStoreApi(IEventStorage storage, TimeProvider timeProvider) : IEventStoreContract
{
    public Task<IResult> GetLiveness(ApiRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<IResult>(TypedResults.Ok(new SystemStatus(timeProvider.GetUtcNow(), "ok")));

    public async Task<IResult> CreateStream(ApiRequest request, string streamType, CreateStreamRequest body, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        (string Field, NewEvent? Event)[] fields = [("initialEvent", body.InitialEvent)];
        var events = RequestValidator.ReadEvents(request.Errors, fields);
        return await AppendAsync(request, streamType, Guid.NewGuid(), ExpectedRevision.NoStream, events, [.. fields.Select(f => f.Field)], "streamRevision", revisionGiven: false, cancellationToken);
    }

    public async Task<IResult> GetStreams(
        ApiRequest request, string streamType, DateTimeOffset? updated_after, string? stream_next_page_key, string? nextPageKey, int? limit, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(request.Errors, pageSize);
        StreamPageKey? after = null;
        var key = stream_next_page_key ?? nextPageKey;
        if (!string.IsNullOrEmpty(key) && !StreamPageKey.TryDecode(key, out after))
        {
            request.Errors.Add(stream_next_page_key is null ? "nextPageKey" : "stream-next-page-key", "The page key is not one this server handed out.");
        }

        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        var page = await storage.GetStreamsAsync(streamType, updated_after ?? DateTimeOffset.MinValue, after, pageSize, cancellationToken);
        return TypedResults.Ok(new StreamPageResponse(page));
    }

    public async Task<IResult> GetStreamTypes(ApiRequest request, string? next_page_key, int? limit, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(request.Errors, pageSize);
        var after = RequestValidator.ReadStreamTypePageKey(request.Errors, "next-page-key", next_page_key);
        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        return TypedResults.Ok(new StreamTypePageResponse(await storage.GetStreamTypesAsync(after, pageSize, cancellationToken)));
    }

    public async Task<IResult> GetStreamDetails(ApiRequest request, string streamType, Guid streamId, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        try
        {
            var stream = await storage.GetStreamAsync(streamType, streamId, cancellationToken);
            return stream is null ? StreamNotFound(request, streamType, streamId) : TypedResults.Ok(new StreamResponse(stream));
        }
        catch (StreamDeletedException)
        {
            return StreamDeleted(request, streamType, streamId);
        }
    }

    public async Task<IResult> AppendEvents(ApiRequest request, string streamType, Guid streamId, int streamRevision, AppendEventsRequest body, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        if (streamRevision < 1)
        {
            request.Errors.Add("streamRevision", "The revision of the first new event must be 1 or more.");
        }

        var fields = RequestValidator.SelectEvents(request.Errors, body);
        var events = RequestValidator.ReadEvents(request.Errors, fields);

        // The path names the revision of the first new event; the store takes the revision the stream must be at.
        return await AppendAsync(
            request, streamType, streamId, ExpectedRevision.Exactly(Math.Max(streamRevision - 1, 0)), events, [.. fields.Select(f => f.Field)], "streamRevision", revisionGiven: true, cancellationToken);
    }

    public async Task<IResult> AppendToStream(
        ApiRequest request, string streamType, Guid streamId, string? expected_revision, AppendEventsRequest body, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        var expected = RequestValidator.ReadExpectedRevision(request.Errors, request.Query, "expected-revision");
        var fields = RequestValidator.SelectEvents(request.Errors, body);
        var events = RequestValidator.ReadEvents(request.Errors, fields);
        return await AppendAsync(
            request, streamType, streamId, expected, events, [.. fields.Select(f => f.Field)], "expected-revision", request.Query.ContainsKey("expected-revision"), cancellationToken);
    }

    public async Task<IResult> GetEvents(
        ApiRequest request, string streamType, Guid streamId, int? after_revision, int? before_revision, ReadDirection? direction, int? limit, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        var afterRevision = after_revision ?? 0;
        if (afterRevision < 0)
        {
            request.Errors.Add("after-revision", "The revision to read after must be 0 or more.");
        }

        if (before_revision < 1)
        {
            request.Errors.Add("before-revision", "The revision to read before must be 1 or more.");
        }

        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(request.Errors, pageSize);
        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        var read = new EventRead(streamType, streamId, afterRevision, before_revision, direction ?? ReadDirection.Forward, pageSize);
        try
        {
            var page = await storage.GetEventsAsync(read, cancellationToken);
            return page is null ? StreamNotFound(request, streamType, streamId) : TypedResults.Ok(new EventPageResponse(page));
        }
        catch (StreamDeletedException)
        {
            return StreamDeleted(request, streamType, streamId);
        }
    }

    public async Task<IResult> DeleteStream(
        ApiRequest request, string streamType, Guid streamId, DeleteMode? mode, string? expected_revision, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        var expected = RequestValidator.ReadExpectedRevision(request.Errors, request.Query, "expected-revision");
        if (expected == ExpectedRevision.NoStream)
        {
            request.Errors.Add("expected-revision", "A stream to delete exists: expect 'any', 'stream-exists' or its revision (1 or more).");
        }

        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        var removal = StreamRemoval.Delete(streamType, streamId, mode ?? DeleteMode.Soft, expected.Revision);
        return Answer(request, removal, await storage.RemoveAsync(removal, cancellationToken));
    }

    public async Task<IResult> TruncateStream(ApiRequest request, string streamType, Guid streamId, int before_revision, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        if (!request.Query.ContainsKey("before-revision"))
        {
            request.Errors.Add("before-revision", "Give the first revision to keep as before-revision.");
        }
        else if (request.Errors.IsValid && before_revision < 2)
        {
            request.Errors.Add("before-revision", "The first revision to keep must be 2 or more (1 keeps every event).");
        }

        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        var removal = StreamRemoval.Truncate(streamType, streamId, before_revision);
        return Answer(request, removal, await storage.RemoveAsync(removal, cancellationToken));
    }

    public async Task<IResult> GetStreamTypeEvents(ApiRequest request, string streamType, string? checkpoint, int? limit, CancellationToken cancellationToken)
    {
        RequestValidator.ValidateStreamType(request.Errors, streamType);
        var pageSize = limit ?? EventStoreLimits.DefaultPageSize;
        RequestValidator.ValidatePageSize(request.Errors, pageSize);
        var after = EventCheckpoint.Start;
        if (request.Query["checkpoint"] is { Count: > 1 } given)
        {
            // Which one would count is a guess: none does (as for the numbers of the API).
            request.Errors.Add("checkpoint", $"'checkpoint' is given {given.Count} times; give it once.");
        }
        else if (checkpoint is not null && !EventCheckpoint.TryDecode(checkpoint, out after))
        {
            request.Errors.Add("checkpoint", "The checkpoint is not one this server handed out.");
        }

        if (!request.Errors.IsValid)
        {
            return request.ValidationProblem();
        }

        return TypedResults.Ok(new StreamTypeEventPageResponse(await storage.GetStreamTypeEventsAsync(streamType, after!, pageSize, cancellationToken)));
    }

    private static IResult Answer(ApiRequest request, StreamRemoval removal, RemovalOutcome outcome) => outcome switch
    {
        RemovalOutcome.Removed => TypedResults.Ok(new RemovalResult(complete: true)),
        RemovalOutcome.MoreToRemove => TypedResults.Accepted((string?)null, new RemovalResult(complete: false)),
        RemovalOutcome.StreamNotFound => StreamNotFound(request, removal.StreamType, removal.StreamId),
        RemovalOutcome.StreamDeleted => StreamDeleted(request, removal.StreamType, removal.StreamId),
        RemovalOutcome.WrongExpectedRevision conflict when removal.Mode is null => request.Problem(
            StatusCodes.Status409Conflict,
            "Revision past the stream's end.",
            $"The stream is at revision {conflict.CurrentRevision}: before-revision can be at most {(long)conflict.CurrentRevision + 1}.",
            conflict.CurrentRevision),
        RemovalOutcome.WrongExpectedRevision conflict => request.Problem(
            StatusCodes.Status409Conflict,
            "Wrong expected revision.",
            $"The stream is at revision {conflict.CurrentRevision}, not at the expected revision.",
            conflict.CurrentRevision),
        _ => throw new InvalidOperationException("Unknown removal outcome."),
    };

    private async Task<IResult> AppendAsync(
        ApiRequest request,
        string streamType,
        Guid streamId,
        ExpectedRevision expected,
        List<EventToAppend> events,
        IReadOnlyList<string> fields,
        string revisionField,
        bool revisionGiven,
        CancellationToken cancellationToken)
    {
        // The request's problems and the append's, reported together.
        if (!StreamAppend.TryCreate(streamType, streamId, expected, events, out var append, out var problems) || !request.Errors.IsValid)
        {
            return RequestValidator.MapProblems(request.Errors, problems, fields, revisionField, revisionGiven) is { } tooLarge
                ? request.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large.", tooLarge)
                : request.ValidationProblem();
        }

        var outcome = await storage.AppendAsync(append, cancellationToken);
        return outcome switch
        {
            AppendOutcome.Appended appended => TypedResults.Created(
                $"/streams/{Uri.EscapeDataString(append.StreamType)}/{append.StreamId:D}/details",
                new StreamResponse(appended.Stream)),
            AppendOutcome.AlreadyAppended repeated => TypedResults.Ok(new StreamResponse(repeated.Stream)),
            AppendOutcome.WrongExpectedRevision conflict when append.IsAtTheEnd => request.Problem(
                StatusCodes.Status409Conflict,
                "Event id already used.",
                $"An append whose first event has the id {append.FirstEventId:D} is stored in this stream with other events (the stream is at revision {conflict.CurrentRevision}): give new events new ids.",
                conflict.CurrentRevision),
            AppendOutcome.WrongExpectedRevision conflict => request.Problem(
                StatusCodes.Status409Conflict,
                "Wrong expected revision.",
                $"The stream is at revision {conflict.CurrentRevision}: an append must expect that revision (its first event at revision {conflict.CurrentRevision + 1}).",
                conflict.CurrentRevision),
            AppendOutcome.StreamNotFound => StreamNotFound(request, append.StreamType, append.StreamId),
            AppendOutcome.StreamDeleted => StreamDeleted(request, append.StreamType, append.StreamId),
            _ => throw new InvalidOperationException("Unknown append outcome."),
        };
    }

    private static ProblemResult StreamNotFound(ApiRequest request, string streamType, Guid streamId) => request.Problem(
        StatusCodes.Status404NotFound,
        "Stream not found.",
        $"No stream of type '{streamType}' has the id {streamId:D}.");

    private static ProblemResult StreamDeleted(ApiRequest request, string streamType, Guid streamId) => request.Problem(
        StatusCodes.Status410Gone,
        "Stream deleted.",
        $"The stream of type '{streamType}' with the id {streamId:D} was deleted: it takes no events, and its id is not used again.");
}
