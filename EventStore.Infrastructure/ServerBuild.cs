namespace EventStore.Infrastructure;

/// <summary>Which build of the server the function runs; both publish with <c>publish-lambda.sh</c>.</summary>
public enum ServerBuild
{
    /// <summary>
    /// The default: the server compiled with Native AOT to a native linux-arm64 executable, on the OS-only runtime
    /// <c>provided.al2023</c>, started by the bundle's <c>bootstrap</c> script. No JIT: cold starts near the platform's floor.
    /// </summary>
    NativeAot,

    /// <summary>
    /// The server as .NET assemblies (ReadyToRun) on the managed <c>dotnet10</c> runtime, started by the Web Adapter's
    /// exec wrapper: for a server that is not published with Native AOT. Cold starts of a managed .NET app.
    /// </summary>
    Managed,
}
