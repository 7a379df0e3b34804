namespace EventStore.Benchmarks;

/// <summary>What one timed run of a side did, and the counters read around it.</summary>
/// <param name="Operations">Operations the run completed (appends, events read).</param>
/// <param name="Elapsed">Its wall-clock time.</param>
/// <param name="ServerCpu">CPU time the server process spent meanwhile (user + system); zero for a side without one.</param>
/// <param name="DiskFlushes">Flush requests the disk of the temporary folder completed meanwhile; null where they cannot be read.</param>
/// <param name="HarnessCpu">CPU time this process (the harness: the client, or the in-process store) spent meanwhile.</param>
internal sealed record Sample(long Operations, TimeSpan Elapsed, TimeSpan ServerCpu, long? DiskFlushes, TimeSpan HarnessCpu)
{
    public double Rate => Operations / Elapsed.TotalSeconds;

    public double ServerCpuMicrosecondsPerOperation => ServerCpu.TotalMicroseconds / Operations;

    public double HarnessCpuMicrosecondsPerOperation => HarnessCpu.TotalMicroseconds / Operations;

    /// <summary>
    /// The most operations per second the machine's cores could run at this run's CPU per operation, the server's and
    /// the harness's together: what the cores allow whatever the disk does.
    /// </summary>
    public double CpuBoundRate => Environment.ProcessorCount * 1e6 / (ServerCpuMicrosecondsPerOperation + HarnessCpuMicrosecondsPerOperation);

    public double? DiskFlushesPerOperation => DiskFlushes / (double)Operations;

    /// <summary>The runs taken together, as one run (their slices, <see cref="Measure.RoundsAsync"/>).</summary>
    public static Sample Sum(IReadOnlyList<Sample> runs) => new(
        runs.Sum(run => run.Operations),
        TimeSpan.FromTicks(runs.Sum(run => run.Elapsed.Ticks)),
        TimeSpan.FromTicks(runs.Sum(run => run.ServerCpu.Ticks)),
        runs.All(run => run.DiskFlushes is not null) ? runs.Sum(run => run.DiskFlushes!.Value) : null,
        TimeSpan.FromTicks(runs.Sum(run => run.HarnessCpu.Ticks)));
}
