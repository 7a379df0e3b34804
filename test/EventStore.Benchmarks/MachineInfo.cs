using System.Globalization;
using System.Runtime.InteropServices;

namespace EventStore.Benchmarks;

/// <summary>What the figures were measured on: processor, memory, system, .NET, and the disk of the temporary folder (Linux).</summary>
internal static class MachineInfo
{
    public static string Describe(DiskFlushCounter disk)
    {
        var cpu = ProcLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown processor";
        var memory = ProcLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } total
            ? string.Create(CultureInfo.InvariantCulture, $"{long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0:0} GB")
            : "unknown memory";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, temporary folder {Path.GetTempPath()} ({disk.Description})";
    }

    /// <summary>The 1-minute load average (<c>/proc/loadavg</c>): how busy the machine was besides this run.</summary>
    public static string LoadAverage() => ProcLines("/proc/loadavg").FirstOrDefault()?.Split(' ')[0] ?? "unknown";

    private static IEnumerable<string> ProcLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
