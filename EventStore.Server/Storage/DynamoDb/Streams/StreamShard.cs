namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>A shard of a DynamoDB stream.</summary>
/// <param name="ShardId">Its id.</param>
/// <param name="ParentShardId">The shard it split from or followed; read that one first.</param>
/// <param name="EndingSequenceNumber">Set once the shard is closed: no records are added after it.</param>
internal sealed record StreamShard(string ShardId, string? ParentShardId, string? EndingSequenceNumber);
