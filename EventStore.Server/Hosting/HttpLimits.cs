using ServerlessEventStore.Types;
using System.Globalization;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Kestrel's limits as the server sets them, so that nothing a client holds open is unbounded: request bodies up to
/// <see cref="EventStoreLimits.MaxRequestBodyBytes"/>, idle keep-alive connections closed after 30 seconds, and at most as
/// many connections as the process can hold open files for, with descriptors kept back for the store and outgoing
/// calls. Each can be changed under <c>Kestrel:Limits</c> (e.g. <c>Kestrel__Limits__MaxConcurrentConnections</c>).
/// </summary>
internal static class HttpLimits
{
    public const string SectionName = "Kestrel:Limits";

    /// <summary>How long an idle connection stays open (Kestrel's default is 130 s).</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most connections by default, however many files the process may open.</summary>
    public const int MaxConnections = 10_000;

    /// <summary>Descriptors kept back, beyond those open at start-up, for the store's files and outgoing connections.</summary>
    public const int ReservedDescriptors = 256;

    private const int MinConnections = 16;

    public static WebApplicationBuilder AddEventStoreHttpLimits(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(SectionName);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = EventStoreLimits.MaxRequestBodyBytes;
            // Room for a whole body of the largest size in a connection's buffer: large bodies are received in full
            // before they are parsed (RequestBodyGate).
            kestrel.Limits.MaxRequestBufferSize = 2 * EventStoreLimits.MaxRequestBodyBytes;
            kestrel.Limits.KeepAliveTimeout = KeepAliveTimeout;
            kestrel.Limits.MaxConcurrentConnections = DefaultMaxConnections();
            // Configuration has the last word.
            configured.Bind(kestrel.Limits);
        });
        return builder;
    }

    /// <summary>
    /// The open-file limit of the process (its soft limit, from <c>/proc/self/limits</c>) less the descriptors open now
    /// and <see cref="ReservedDescriptors"/>, between 16 and <see cref="MaxConnections"/>; without the limit (not Linux),
    /// <see cref="MaxConnections"/>.
    /// </summary>
    public static long DefaultMaxConnections()
    {
        if (OpenFileLimit() is not { } limit)
        {
            return MaxConnections;
        }

        var open = Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : 0;
        return Math.Clamp(limit - open - ReservedDescriptors, MinConnections, MaxConnections);
    }

    private static long? OpenFileLimit()
    {
        const string limits = "/proc/self/limits";
        if (!File.Exists(limits))
        {
            return null;
        }

        // "Max open files            1024                 524288               files"
        foreach (var line in File.ReadLines(limits))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }

        return null;
    }
}
