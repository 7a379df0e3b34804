using System.Reflection;
using ServerlessEventStore.Server.Authentication;
using ServerlessEventStore.Server.Storage.Sqlite;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// The command line of <c>eventstore</c>: the few options of its own (<c>--data</c>, <c>--help</c>, <c>--version</c>)
/// turned into what the host understands; every other argument is a configuration key as ASP.NET Core reads it
/// (<c>--urls</c>, <c>--EventStore:Storage=DynamoDb</c>, …) and is passed on unchanged.
/// </summary>
internal static class ServerCommandLine
{
    /// <summary>Where the server listens when nothing says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    private const string DataOption = "--data";

    /// <summary>What the command line asks for.</summary>
    /// <param name="args">The arguments as given.</param>
    /// <returns>The configuration arguments for the host, or the text to print instead of running (help, version, an error).</returns>
    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var configuration = new List<string>(args.Count + 1);
        for (var index = 0; index < args.Count; index++)
        {
            var argument = args[index];
            switch (argument)
            {
                case "-h" or "--help" or "-?":
                    return ParsedCommandLine.Print(Help, exitCode: 0);
                case "--version":
                    return ParsedCommandLine.Print(Version, exitCode: 0);
                case DataOption:
                    if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        return ParsedCommandLine.Print($"{DataOption} needs a folder, e.g. {DataOption} ./data (eventstore --help lists the options)", exitCode: 2);
                    }

                    configuration.Add(DataSetting(args[++index]));
                    break;
                default:
                    if (argument.StartsWith(DataOption + "=", StringComparison.Ordinal))
                    {
                        configuration.Add(DataSetting(argument[(DataOption.Length + 1)..]));
                    }
                    else
                    {
                        configuration.Add(argument);
                    }

                    break;
            }
        }

        return ParsedCommandLine.Run([.. configuration]);
    }

    /// <summary>
    /// Whether the configuration says where to listen (<c>urls</c>, <c>http_ports</c>, <c>https_ports</c> — from the
    /// command line, <c>ASPNETCORE_URLS</c>/<c>DOTNET_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> or appsettings — or
    /// <c>Kestrel:Endpoints</c>, read as <see cref="ListeningAddresses"/> reads them); when it does not, the server
    /// listens on <see cref="DefaultUrl"/>.
    /// </summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <returns>True when an address or port is configured.</returns>
    public static bool ListeningIsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return ListeningAddresses.Configured(configuration).Any();
    }

    private static string DataSetting(string folder) =>
        $"--{SqliteStorageOptions.SectionName}:{nameof(SqliteStorageOptions.Path)}={Path.Combine(Path.GetFullPath(folder), SqliteStorageOptions.FileName)}";

    private static string Version =>
        typeof(ServerCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string Help => $"""
        eventstore {Version} — the ServerlessEventStore server

        Usage: eventstore [options] [--<configuration key>=<value> ...]

        With no options it runs the embedded store (SQLite) on {DefaultUrl}:
        open it in a browser for the stream browser and the API page.

        Options:
          --data <folder>     keep the embedded store in <folder>/{SqliteStorageOptions.FileName}
                              (default: {SqliteStorageOptions.DefaultPath})
          --urls <urls>       where to listen, e.g. --urls http://localhost:6000
                              (default: {DefaultUrl}; also ASPNETCORE_URLS)
          --environment <n>   the hosting environment (Production unless set)
          --version           print the version
          -h, --help          print this help

        Every configuration key of the server is an option too, e.g.
          --EventStore:Storage=DynamoDb --EventStore:DynamoDb:TableName=events
          --EventStore:Notifications:SnsTopicArn=arn:aws:sns:...
        and an environment variable with __ for :, e.g. EventStore__Sqlite__Path.
        The keys are listed in the README (section "Configuration").
        """;
}
