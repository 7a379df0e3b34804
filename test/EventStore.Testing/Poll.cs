namespace EventStore.Testing;

/// <summary>
/// Waits for a condition that another process or thread brings about (a port that opens, a message that arrives),
/// checking it every 20 ms, and fails with a description after a deadline. Not for waiting on time itself: use
/// <c>FakeTimeProvider</c> for that.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition; an exception it throws ends the wait with that exception.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="describe">What the failure says it waited for.</param>
    /// <returns>A task completing when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {describe()}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="describe">What the failure says it waited for.</param>
    /// <returns>A task completing when the condition holds.</returns>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describe);
}
