using Microsoft.Extensions.Time.Testing;

namespace EventStore.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that notes the due time of every timer started on it — each wait of the code under
/// test (a Polly back-off, a <c>Task.Delay</c>, a <see cref="CancellationTokenSource"/>'s timeout) — so that a test can
/// wait until a wait has begun before it moves the clock past it. Moving the clock first would leave a wait that starts
/// afterwards pending, since its due time counts from its start.
/// </summary>
public sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly List<(TimeSpan DueTime, bool Seen)> _timers = [];

    /// <summary>The due times of the timers started so far, in the order they were started.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_timers)
            {
                return [.. _timers.Select(timer => timer.DueTime)];
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        // Noted once it exists: whoever sees it may move the clock, and the timer fires.
        lock (_timers)
        {
            _timers.Add((dueTime, false));
        }

        return timer;
    }

    /// <summary>
    /// Waits until a timer of <paramref name="dueTime"/> that no earlier call has returned for is started: the code under
    /// test now waits for the clock to move on by that much.
    /// </summary>
    /// <param name="dueTime">The wait's length.</param>
    /// <param name="timeout">How long to wait, in real time.</param>
    /// <returns>A task completing when such a timer exists.</returns>
    public Task WaitForTimerAsync(TimeSpan dueTime, TimeSpan timeout) =>
        Poll.UntilAsync(
            () =>
            {
                lock (_timers)
                {
                    var index = _timers.FindIndex(timer => timer.DueTime == dueTime && !timer.Seen);
                    if (index < 0)
                    {
                        return false;
                    }

                    _timers[index] = (dueTime, true);
                    return true;
                }
            },
            timeout,
            () => $"a timer of {dueTime.TotalMilliseconds} ms; started: {string.Join(", ", DueTimes.Select(due => $"{due.TotalMilliseconds} ms"))}");
}
