using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Settings of how the server takes requests (configuration section <c>EventStore:Http</c>). Kestrel's own limits
/// (connections, keep-alive) are under <c>Kestrel:Limits</c>.
/// </summary>
public sealed class HttpOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:Http";

    /// <summary>
    /// Most requests with a large body (over 64 KB, or of unknown length) parsed and stored at once; the others wait
    /// their turn, their bodies received. Bounds the memory that concurrent large appends take.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentLargeBodies { get; set; } = 8;

    /// <summary>
    /// Most requests with a large body waiting for their turn, each holding its received body; one more is answered 503
    /// with Retry-After at once.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxQueuedLargeBodies { get; set; } = 64;

    /// <summary>How long a request with a large body waits for its turn before it is answered 503 with Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Checked by the validator generated at build time, which reads the range without the attribute's type converter.")]
    public TimeSpan LargeBodyQueueTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
