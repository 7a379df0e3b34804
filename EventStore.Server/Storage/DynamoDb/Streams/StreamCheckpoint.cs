namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// The relay's position in one DynamoDB stream: per shard, the last record published and whether the shard is done.
/// A shard it does not know is read from its oldest record (<c>TRIM_HORIZON</c>).
/// </summary>
/// <param name="StreamArn">The stream; a checkpoint of another stream (the table or its stream re-created) counts as none.</param>
/// <param name="Shards">Progress by shard id.</param>
internal sealed record StreamCheckpoint(string StreamArn, IReadOnlyDictionary<string, ShardProgress> Shards)
{
    public static StreamCheckpoint Empty(string streamArn) => new(streamArn, new Dictionary<string, ShardProgress>(StringComparer.Ordinal));

    public ShardProgress ProgressOf(string shardId) => Shards.GetValueOrDefault(shardId) ?? new ShardProgress(null, Finished: false);

    public StreamCheckpoint With(string shardId, ShardProgress progress) =>
        this with { Shards = new Dictionary<string, ShardProgress>(Shards, StringComparer.Ordinal) { [shardId] = progress } };

    /// <summary>Drops shards the stream no longer has (trimmed after 24 hours), so the file stays small.</summary>
    public StreamCheckpoint Retain(IEnumerable<string> shardIds)
    {
        var kept = shardIds.Where(Shards.ContainsKey).ToDictionary(id => id, id => Shards[id], StringComparer.Ordinal);
        return kept.Count == Shards.Count ? this : this with { Shards = kept };
    }
}
