namespace EventStore.Testing;

/// <summary>How <see cref="ServerProcess"/> runs the server.</summary>
public sealed class ServerProcessSettings
{
    /// <summary>Environment variables (configuration with <c>__</c>), over the defaults (loopback port, temporary SQLite file).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// More addresses the server listens on (<c>ASPNETCORE_URLS</c>) besides its free loopback port, which
    /// <see cref="ServerProcess.BaseAddress"/> names; e.g. <c>http://0.0.0.0:0</c>. <see cref="ServerProcess.StartAsync"/> only.
    /// </summary>
    public IReadOnlyList<string> AdditionalUrls { get; init; } = [];

    /// <summary>Command-line arguments after the program.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; the server's folder when not set.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The server's program, a <c>.dll</c> (run with <c>dotnet</c>) or a native executable; <see cref="ServerProcess.ServerDll"/>
    /// when not set.
    /// </summary>
    public string? ServerDll { get; init; }

    /// <summary>A soft limit on the files the process may open (<c>ulimit -n</c>); the test run's own when not set.</summary>
    public int? OpenFileLimit { get; init; }
}
