using System.Globalization;

namespace EventStore.Benchmarks;

/// <summary>
/// The count of flush requests (cache flushes: what an <c>fsync</c> of a durable commit comes down to) that the disk
/// holding a folder has completed (Linux: field 16 of the disk's line in <c>/proc/diskstats</c>). The counter is the
/// whole disk's, so the figures read from it include whatever else writes to that disk meanwhile. Null where it cannot be
/// read: another system, or a folder on no block device (tmpfs, overlay).
/// </summary>
internal sealed class DiskFlushCounter
{
    private const int FlushesCompletedField = 3 + 15;

    private readonly string? _disk;

    public DiskFlushCounter(string folder)
    {
        var mount = Mounts().Where(m => IsUnder(Path.GetFullPath(folder), m.MountPoint)).MaxBy(m => m.MountPoint.Length);
        _disk = mount is null ? null : DiskOf(mount.Device);
        Description = mount is null ? "unknown filesystem" : $"{mount.FileSystem} on {mount.Source}";
    }

    /// <summary>The folder's filesystem and device, e.g. "ext4 on /dev/vda".</summary>
    public string Description { get; }

    /// <summary>Flush requests completed so far, or null.</summary>
    public long? Read()
    {
        if (_disk is null)
        {
            return null;
        }

        var fields = File.ReadLines("/proc/diskstats")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length > FlushesCompletedField && f[2] == _disk);
        return fields is null ? null : long.Parse(fields[FlushesCompletedField], CultureInfo.InvariantCulture);
    }

    private static bool IsUnder(string path, string mountPoint) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);

    /// <summary>The mounts of this process's namespace, from <c>/proc/self/mountinfo</c>.</summary>
    private static List<Mount> Mounts()
    {
        if (!File.Exists("/proc/self/mountinfo"))
        {
            return [];
        }

        // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": device, mount point, then after "-" type and source.
        return [.. File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Select(f => (Fields: f, Separator: Array.IndexOf(f, "-")))
            .Where(m => m.Separator > 0 && m.Fields.Length > m.Separator + 2)
            .Select(m => new Mount(m.Fields[2], m.Fields[4], m.Fields[m.Separator + 1], m.Fields[m.Separator + 2]))];
    }

    /// <summary>The name of the disk that device major:minor is or is a partition of (partitions count no flushes of their own).</summary>
    private static string? DiskOf(string device)
    {
        var sysfs = new DirectoryInfo($"/sys/dev/block/{device}");
        if (!sysfs.Exists)
        {
            return null;
        }

        var target = new DirectoryInfo(Path.GetFullPath(sysfs.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? sysfs.FullName));
        return File.Exists(Path.Combine(target.FullName, "partition")) ? target.Parent?.Name : target.Name;
    }

    private sealed record Mount(string Device, string MountPoint, string FileSystem, string Source);
}
