namespace ServerlessEventStore.Server.Hosting;

/// <summary>What <see cref="ServerCommandLine.Parse"/> found: run the host with these arguments, or print a text and exit.</summary>
/// <param name="HostArguments">The arguments for the host's configuration, when the server is to run.</param>
/// <param name="Text">What to print instead of running (help, version, a usage error); null when the server is to run.</param>
/// <param name="ExitCode">The exit code after printing <paramref name="Text"/>.</param>
internal sealed record ParsedCommandLine(string[] HostArguments, string? Text, int ExitCode)
{
    /// <summary>Run the server with <paramref name="hostArguments"/>.</summary>
    public static ParsedCommandLine Run(string[] hostArguments) => new(hostArguments, null, 0);

    /// <summary>Print <paramref name="text"/> and end with <paramref name="exitCode"/>.</summary>
    public static ParsedCommandLine Print(string text, int exitCode) => new([], text, exitCode);
}
