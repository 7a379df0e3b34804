using System.Globalization;

namespace EventStore.Testing.Tests;

/// <summary>
/// Not run by the tests' runner: <see cref="LocalProcessTests"/> runs this assembly as a throwaway test process
/// (<c>dotnet EventStore.Testing.Tests.dll fauxqs|dynamodb-local|server</c>) that starts one child through the launcher,
/// prints <c>started {pid} {port}</c>, and lives until it is killed.
/// </summary>
internal static class Program
{
    public const string StartedPrefix = "started ";

    public static async Task<int> Main(string[] args)
    {
        var (processId, port) = args.FirstOrDefault() switch
        {
            "fauxqs" => await StartServiceAsync(await Fauxqs.StartAsync()),
            "dynamodb-local" => await StartServiceAsync(await DynamoDbLocal.StartAsync(dataDirectory: null)),
            "server" => await StartServerAsync(),
            _ => (0, 0),
        };
        if (processId == 0)
        {
            await Console.Error.WriteLineAsync("usage: EventStore.Testing.Tests fauxqs|dynamodb-local|server");
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{StartedPrefix}{processId} {port}"));
        // Lives until it is killed: what happens to its child then is the point.
        await new TaskCompletionSource().Task;
        return 0;
    }

    private static Task<(int, int)> StartServiceAsync(LocalService service) => Task.FromResult((service.ProcessId, service.Port));

    private static async Task<(int, int)> StartServerAsync()
    {
        var server = await ServerProcess.StartAsync();
        return (server.ProcessId, server.BaseAddress.Port);
    }
}
