namespace ServerlessEventStore.Server.Tests.Conformance;

/// <summary>A clock that moves only forward, by a fixed step on every reading, so that every write gets its own time.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            _now += step;
            return _now;
        }
    }

    public DateTimeOffset Peek()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
