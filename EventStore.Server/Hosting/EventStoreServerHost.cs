namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// The server's process: builds the app from the server's own folder (so that its <c>appsettings.json</c> is read
/// whatever the working directory), runs it, and when it can't start — invalid settings, a store that can't be
/// reached or prepared, a port in use — ends with a clear message on standard error and exit code 1 instead of an
/// unhandled exception.
/// </summary>
public static class EventStoreServerHost
{
    /// <summary>Exit code when the server could not start.</summary>
    public const int StartFailedExitCode = 1;

    /// <summary>Runs the server until it is stopped.</summary>
    /// <param name="args">
    /// The command line: <c>--data &lt;folder&gt;</c>, <c>--help</c>, <c>--version</c>, and configuration keys (e.g.
    /// <c>--urls</c>). With no address configured anywhere it listens on <c>http://localhost:5080</c>.
    /// </param>
    /// <returns>
    /// The process's exit code: 0 after a normal stop (or help printed), <see cref="StartFailedExitCode"/> when it could
    /// not start, 2 for a command line it does not understand.
    /// </returns>
    public static int Run(string[] args)
    {
        var commandLine = ServerCommandLine.Parse(args);
        if (commandLine.Text is { } text)
        {
            (commandLine.ExitCode == 0 ? Console.Out : Console.Error).WriteLine(text);
            return commandLine.ExitCode;
        }

        WebApplication app;
        try
        {
            // The slim host: the same configuration sources (appsettings.json, appsettings.{environment}.json, user secrets
            // in Development, environment variables, the command line) and console logging, without what the server does
            // not use and a cold start pays for (HTTP/3's QUIC probe, the Debug and EventSource log providers, host
            // filtering, IIS integration). HTTPS endpoints stay configurable (Kestrel:Endpoints, ASPNETCORE_URLS).
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = commandLine.HostArguments, ContentRootPath = AppContext.BaseDirectory });
            builder.WebHost.UseKestrelHttpsConfiguration();
            if (!ServerCommandLine.ListeningIsConfigured(builder.Configuration))
            {
                builder.WebHost.UseUrls(ServerCommandLine.DefaultUrl);
            }

            builder.AddEventStoreServer();
            app = builder.Build();
            app.MapEventStoreServer();
        }
        catch (Exception exception)
        {
            return Failed(exception);
        }

        try
        {
            app.Run();
            return 0;
        }
        catch (Exception exception)
        {
            // The host has logged the failure (and stopped) by now; say why in one place a person will look.
            return Failed(exception);
        }
    }

    private static int Failed(Exception exception)
    {
        Console.Error.WriteLine($"The event store could not start: {StartupFailure.Describe(exception)}");
        return StartFailedExitCode;
    }
}
