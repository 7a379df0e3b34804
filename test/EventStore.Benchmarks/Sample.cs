namespace EventStore.Benchmarks;

/// <summary>What one timed run of a side did, and the counters read around it.</summary>
/// <param name="Operations">Operations the run completed (appends, events read).</param>
/// <param name="Elapsed">Its wall-clock time.</param>
/// <param name="ServerCpu">CPU time the server process spent meanwhile (user + system); zero for a side without one.</param>
/// <param name="DiskFlushes">Flush requests the disk of the temporary folder completed meanwhile; null where they cannot be read.</param>
internal sealed record Sample(long Operations, TimeSpan Elapsed, TimeSpan ServerCpu, long? DiskFlushes)
{
    public double Rate => Operations / Elapsed.TotalSeconds;

    public double ServerCpuMicrosecondsPerOperation => ServerCpu.TotalMicroseconds / Operations;

    public double? DiskFlushesPerOperation => DiskFlushes / (double)Operations;
}
