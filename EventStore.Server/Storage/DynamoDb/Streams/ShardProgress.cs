namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>How far the relay has published one shard.</summary>
/// <param name="After">The last record whose notification (if any) was published; <see langword="null"/>: none yet.</param>
/// <param name="Finished">The shard is closed and was read to its end.</param>
internal sealed record ShardProgress(string? After, bool Finished);
