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
/// kernel picks the local port of every outgoing connection and of every other bind to port 0. In a test run making
/// thousands of connections, one of them took such a port before its child bound it often enough to fail a CI run now and
/// then (<c>EADDRINUSE</c>, or a stopped emulator's port still answering). Outside the ephemeral range only the tests' own
/// choices land, and a claim keeps the test assemblies, which run in parallel processes, from choosing the same one: a
/// lock on a file named after the port (<see cref="FileShare.None"/>, an advisory <c>flock</c> on Linux, as in
/// <see cref="CrossProcessLock"/>), held until the process ends, so that a service restarted on its port finds it free.
/// A port something listens on is never handed out.
/// </remarks>
internal static class PortClaims
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "eventstore-test-ports");
    private static readonly List<FileStream> Held = [];
    private static readonly (int Low, int High)? Range = ClaimableRange();

    /// <summary>Claims a free loopback port for as long as this process runs.</summary>
    /// <returns>The port.</returns>
    public static int Claim()
    {
        if (Range is not { } range)
        {
            // No room outside the ephemeral range (it spans nearly every port): a port free right now is the best there is.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Directory.CreateDirectory(Folder);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var port = Random.Shared.Next(range.Low, range.High);
            if (TryClaim(port) is { } claim)
            {
                if (IsFree(port))
                {
                    lock (Held)
                    {
                        Held.Add(claim);
                    }

                    return port;
                }

                claim.Dispose();
            }
        }

        throw new InvalidOperationException($"No loopback port from {range.Low} to {range.High - 1} is both free and unclaimed (claims in {Folder}).");
    }

    private static FileStream? TryClaim(int port)
    {
        try
        {
            return new FileStream(Path.Combine(Folder, port.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Claimed by another process (or by this one, for an earlier caller), or another user's file.
            return null;
        }
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

    /// <summary>
    /// Up to 12,000 ports just below the ephemeral range, or just above it where it starts too low; none where neither
    /// side has 2,000.
    /// </summary>
    private static (int Low, int High)? ClaimableRange()
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

        const int MinimumPorts = 2_000;
        if (ephemeralLow - 1024 >= MinimumPorts)
        {
            return (Math.Max(1024, ephemeralLow - 12_000), ephemeralLow);
        }

        return 65535 - ephemeralHigh >= MinimumPorts ? (ephemeralHigh + 1, Math.Min(65536, ephemeralHigh + 1 + 12_000)) : null;
    }
}
