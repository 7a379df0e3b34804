using System.Diagnostics;

namespace EventStore.Benchmarks;

/// <summary>A process's own CPU counter: user plus system time so far (Linux: <c>utime + stime</c> of <c>/proc/{pid}/stat</c>, in 10 ms ticks).</summary>
internal static class ProcessCpu
{
    public static TimeSpan Of(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }
}
