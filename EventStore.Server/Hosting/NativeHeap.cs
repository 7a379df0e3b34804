using System.Runtime.InteropServices;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// The C library's heap, which native code (SQLite's page caches and statements) allocates from. glibc keeps memory that
/// was freed in its arenas, one per thread that allocated, rather than giving it back to the operating system; after a
/// burst on many threads that stays resident until <c>malloc_trim</c> returns it.
/// </summary>
internal static class NativeHeap
{
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the C library heap's free memory to the operating system, where the C library can (glibc).</summary>
    /// <returns><see langword="true"/> when the heap was trimmed; <see langword="false"/> where the C library has no such call (not Linux, or musl).</returns>
    public static bool Trim()
    {
        if (s_unavailable)
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
