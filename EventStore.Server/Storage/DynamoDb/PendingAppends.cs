namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The appends this server has stamped whose events may not be readable in <c>TypeIndex</c> yet: each from its stamping
/// until the settle window after it returned (the index may lag its commit by that much). A read of a stream type's
/// events never passes the earliest of their times, so a slow append of this server — retried, or queued behind others —
/// is never passed however long its commit takes; only other servers' appends depend on the settle window alone.
/// </summary>
/// <param name="clock">The store's clock.</param>
/// <param name="settleWindow">How long an append's events may take to show in the index after it returned.</param>
internal sealed class PendingAppends(TimeProvider clock, TimeSpan settleWindow)
{
    private readonly PriorityQueue<Pending, long> _byTime = new();
    private readonly Lock _lock = new();

    /// <summary>Notes an append stamped <paramref name="stamp"/>, before it is sent.</summary>
    /// <param name="stamp">The time its events carry.</param>
    /// <returns>The note, to hand to <see cref="Returned"/>.</returns>
    public Pending Stamped(DateTimeOffset stamp)
    {
        var pending = new Pending(stamp.UtcTicks);
        lock (_lock)
        {
            _byTime.Enqueue(pending, pending.Ticks);
        }

        return pending;
    }

    /// <summary>Notes that the append returned (committed or not): its events show in the index within the settle window.</summary>
    /// <param name="pending">The note of <see cref="Stamped"/>.</param>
    public void Returned(Pending pending)
    {
        lock (_lock)
        {
            pending.SettledAt = (clock.GetUtcNow() + settleWindow).UtcTicks;
        }
    }

    /// <summary>
    /// The latest time up to which every event is readable: the settle window before now, and before every append of
    /// this server that has not settled.
    /// </summary>
    /// <returns>The high-water mark, in UTC ticks.</returns>
    public long HighWaterTicks()
    {
        var now = clock.GetUtcNow().UtcTicks;
        var highWater = now - settleWindow.Ticks;
        lock (_lock)
        {
            while (_byTime.TryPeek(out var earliest, out _))
            {
                if (earliest.SettledAt > now)
                {
                    return Math.Min(highWater, earliest.Ticks - 1);
                }

                _byTime.Dequeue();
            }
        }

        return highWater;
    }

    /// <summary>An append's stamp and when it settles (<see cref="long.MaxValue"/> until it returned).</summary>
    internal sealed class Pending(long ticks)
    {
        public long Ticks { get; } = ticks;

        public long SettledAt { get; set; } = long.MaxValue;
    }
}
