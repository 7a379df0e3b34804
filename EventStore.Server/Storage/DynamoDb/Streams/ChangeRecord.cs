using Amazon.DynamoDBv2.Model;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>One record of a DynamoDB stream: an item written (<c>INSERT</c>, <c>MODIFY</c>) or deleted (<c>REMOVE</c>).</summary>
/// <param name="EventName"><c>INSERT</c>, <c>MODIFY</c> or <c>REMOVE</c>.</param>
/// <param name="SequenceNumber">Its position in the shard; what the checkpoint keeps.</param>
/// <param name="NewImage">The item after the change (string and number attributes), none for a <c>REMOVE</c>.</param>
internal sealed record ChangeRecord(string EventName, string SequenceNumber, IReadOnlyDictionary<string, AttributeValue>? NewImage);
