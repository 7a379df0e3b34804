namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Gives memory back once a burst of work is over. The garbage collector only shrinks the heap when it runs, and it
/// runs when the program allocates: a server that goes idle after a load keeps its peak size for as long as it stays
/// idle. Every <see cref="CheckInterval"/> this looks at how much was allocated since the last look. When an interval
/// allocated next to nothing, and the busy intervals before it (since the previous idle one) allocated a lot, it runs
/// one full, compacting collection that returns the freed memory to the operating system, after the parts that hold
/// memory for speed (<see cref="IReleasesIdleMemory"/>: the embedded store's pooled connections and their page caches)
/// let go of it, and then trims the C library's heap, where native code's freed memory stays otherwise. A steady light
/// load, with no burst between idle intervals, never causes one.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(
    IEnumerable<IReleasesIdleMemory> parts,
    TimeProvider timeProvider,
    ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    // Below this per interval the server counts as idle; above the other, it was busy enough for a collection to pay.
    private const long IdleBytes = 4L * 1024 * 1024;
    private const long BusyBytes = 64L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, timeProvider);
        var last = GC.GetTotalAllocatedBytes();
        var sinceIdle = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var allocated = now - last;
                last = now;
                sinceIdle += allocated;
                if (allocated >= IdleBytes)
                {
                    continue;
                }

                // Idle now: collect if the work since the last idle period was worth it, and start counting afresh.
                if (IsIdleAfterBurst(allocated, sinceIdle))
                {
                    var before = Environment.WorkingSet;
                    Trim();
                    LogTrimmed(logger, sinceIdle / 1048576, before / 1048576, Environment.WorkingSet / 1048576);
                    last = GC.GetTotalAllocatedBytes();
                }

                sinceIdle = 0;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Gives back what can be given back now: the parts' idle memory, the managed heap's free space, the C library heap's.</summary>
    internal void Trim()
    {
        foreach (var part in parts)
        {
            part.ReleaseIdleMemory();
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    /// <summary>Whether an interval that allocated <paramref name="allocated"/> ends a burst worth a collection.</summary>
    /// <param name="allocated">Bytes allocated in the interval just ended.</param>
    /// <param name="sinceIdle">Bytes allocated since the last idle interval, this one included.</param>
    /// <returns><see langword="true"/> when the server is idle now and was busy enough before.</returns>
    internal static bool IsIdleAfterBurst(long allocated, long sinceIdle) => allocated < IdleBytes && sinceIdle >= BusyBytes;

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Idle after allocating {AllocatedMiB} MiB: collected, working set {BeforeMiB} MiB -> {AfterMiB} MiB")]
    private static partial void LogTrimmed(ILogger logger, long allocatedMiB, long beforeMiB, long afterMiB);
}
