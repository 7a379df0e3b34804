namespace EventStore.Server.Hosting;

/// <summary>
/// Gives memory back once a burst of work is over. The garbage collector only shrinks the heap when it runs, and it
/// runs when the program allocates: a server that goes idle after a load keeps its peak size for as long as it stays
/// idle. Every <see cref="CheckInterval"/> this looks at how much was allocated since the last look; after a period
/// that allocated a lot and one that allocated next to nothing, it runs one full, compacting collection that returns
/// the freed memory to the operating system.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(TimeProvider timeProvider, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    // Below this per interval the server counts as idle; above the other, it was busy enough for a collection to pay.
    private const long IdleBytes = 4L * 1024 * 1024;
    private const long BusyBytes = 64L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, timeProvider);
        var last = GC.GetTotalAllocatedBytes();
        var sinceTrim = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var allocated = now - last;
                last = now;
                sinceTrim += allocated;
                if (allocated < IdleBytes && sinceTrim >= BusyBytes)
                {
                    var before = Environment.WorkingSet;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    LogTrimmed(logger, sinceTrim / 1048576, before / 1048576, Environment.WorkingSet / 1048576);
                    sinceTrim = 0;
                    last = GC.GetTotalAllocatedBytes();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Idle after allocating {AllocatedMiB} MiB: collected, working set {BeforeMiB} MiB -> {AfterMiB} MiB")]
    private static partial void LogTrimmed(ILogger logger, long allocatedMiB, long beforeMiB, long afterMiB);
}
