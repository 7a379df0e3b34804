using System.Diagnostics;

namespace EventStore.Benchmarks;

/// <summary>
/// Concurrent writers, each appending one after another until a deadline. Each writer is started with
/// <see cref="Task.Run(Func{Task})"/>, on a pool thread: an append that completes synchronously (the SQLite adapter's
/// does when its write gate is free) holds up only its own writer, while the others run on other threads. Writers
/// started as plain async calls would run one after another, each until its first append that does not complete at once.
/// </summary>
internal static class WriterLoad
{
    /// <summary>Runs <paramref name="writers"/> writers for <paramref name="duration"/>.</summary>
    /// <param name="writers">How many.</param>
    /// <param name="duration">How long each keeps starting appends; the append running at the deadline completes.</param>
    /// <param name="newWriter">Makes one writer: a function completing one append (each writer keeps its own state, e.g. its stream and revision).</param>
    /// <returns>The appends completed, by all writers together.</returns>
    public static async Task<long> RunAsync(int writers, TimeSpan duration, Func<Func<Task>> newWriter)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ =>
        {
            var append = newWriter();
            return Task.Run(async () =>
            {
                long count = 0;
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await append();
                    count++;
                }

                return count;
            });
        }));
        return counts.Sum();
    }
}
