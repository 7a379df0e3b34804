using System.Collections.Concurrent;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The stream types this process knows to be listed in the table (it wrote their item, or read it in a listing), so
/// that an append creating a stream of one of them leaves the type's item alone: only the first creation of a type in
/// each process writes it, and the item is never a hot spot of the appends. Bounded: once full, types beyond it are
/// simply written again with each stream created, which costs capacity, never correctness.
/// </summary>
internal sealed class KnownStreamTypes
{
    /// <summary>Most types remembered (each at most 100 characters).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, bool> _types = new(StringComparer.Ordinal);

    public bool Contains(string streamType) => _types.ContainsKey(streamType);

    public void Add(string streamType)
    {
        if (_types.Count < Capacity)
        {
            _types.TryAdd(streamType, true);
        }
    }
}
