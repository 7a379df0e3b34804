using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EventStore.Testing;

/// <summary>
/// The ports <see cref="LocalProcess.FreePort"/> hands out: outside the kernel's ephemeral range, and claimed across the
/// machine's processes, so that nothing takes one between the moment it is found free and the moment the child process
/// that was given it binds it (a second or more for Java or Node.js to start).
/// </summary>
/// <remarks>
/// A port found free by binding port 0 and letting it go is in the ephemeral range (<c>ip_local_port_range</c>), where the
/// kernel hands out the local port of every outgoing connection and of every other bind to port 0. In a test run making
/// thousands of connections, one of them took such a port before its child bound it often enough to fail a CI run now and
/// then (<c>EADDRINUSE</c>, or a stopped emulator's port still answering). Below the ephemeral range only the tests'
/// own choices land, and a claim file per port (created exclusively in a folder of the temporary directory) keeps the
/// test assemblies, which run in parallel processes, from choosing the same one. A claim lasts long enough for a test
/// run; an older one is taken back, and a port something listens on is never handed out.
/// </remarks>
internal static class PortClaims
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "eventstore-test-ports");
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(30);
    private static readonly (int Low, int High) Range = ClaimableRange();

    /// <summary>Claims a free loopback port.</summary>
    /// <returns>The port.</returns>
    public static int Claim()
    {
        Directory.CreateDirectory(Folder);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var port = Random.Shared.Next(Range.Low, Range.High);
            if (TryClaim(port) && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No loopback port between {Range.Low} and {Range.High} is free and unclaimed (claims in {Folder}).");
    }

    private static bool TryClaim(int port)
    {
        var path = Path.Combine(Folder, port.ToString(CultureInfo.InvariantCulture));
        for (var tries = 0; tries < 2; tries++)
        {
            try
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    return true;
                }
            }
            catch (IOException) when (File.Exists(path))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < ClaimLifetime)
                {
                    return false;
                }

                File.Delete(path);
            }
        }

        return false;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Up to 12,000 ports just below the ephemeral range (or just above it, where it starts too low).</summary>
    private static (int Low, int High) ClaimableRange()
    {
        var (ephemeralLow, ephemeralHigh) = (32768, 60999);
        try
        {
            var bounds = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            (ephemeralLow, ephemeralHigh) = (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The Linux default.
        }

        return ephemeralLow - 1024 >= 2_000
            ? (Math.Max(1024, ephemeralLow - 12_000), ephemeralLow)
            : (ephemeralHigh + 1, Math.Min(65536, ephemeralHigh + 1 + 12_000));
    }
}
