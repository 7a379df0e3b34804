using System.Net;
using System.Net.Http.Json;
using EventStore.Testing;
using Microsoft.Extensions.Configuration;
using ServerlessEventStore.Server.Hosting;

namespace ServerlessEventStore.Server.Tests.Hosting;

/// <summary>The command line of the <c>eventstore</c> tool: its own options, and where it listens and stores by default.</summary>
public sealed class ServerCommandLineTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Parse_DataFolder_SetsTheEmbeddedStoresFileInIt()
    {
        var folder = Path.Combine(Path.GetTempPath(), "some-data");

        var parsed = ServerCommandLine.Parse(["--data", folder, "--urls", "http://127.0.0.1:6000"]);

        parsed.Text.Should().BeNull();
        parsed.HostArguments.Should().Equal($"--EventStore:Sqlite:Path={Path.Combine(folder, "eventstore.db")}", "--urls", "http://127.0.0.1:6000");
    }

    [Fact]
    public void Parse_DataWithEqualsAndRelativeFolder_ResolvesTheFolderAgainstTheWorkingDirectory()
    {
        var parsed = ServerCommandLine.Parse(["--data=relative"]);

        parsed.HostArguments.Should().Equal($"--EventStore:Sqlite:Path={Path.Combine(Path.GetFullPath("relative"), "eventstore.db")}");
    }

    [Fact]
    public void Parse_DataWithoutFolder_IsAUsageErrorWithExitCodeTwo()
    {
        var parsed = ServerCommandLine.Parse(["--data", "--urls", "http://127.0.0.1:6000"]);

        parsed.ExitCode.Should().Be(2);
        parsed.Text.Should().StartWith("--data needs a folder");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_PrintsTheOptionsAndTheDefaultsInsteadOfRunning(string option)
    {
        var parsed = ServerCommandLine.Parse(["--urls", "http://127.0.0.1:6000", option]);

        parsed.ExitCode.Should().Be(0);
        parsed.Text.Should().Contain("Usage: eventstore").And.Contain("--data <folder>").And.Contain(ServerCommandLine.DefaultUrl);
    }

    [Fact]
    public void Parse_ConfigurationKeys_ArePassedOnUnchanged()
    {
        string[] args = ["--EventStore:Storage=DynamoDb", "--EventStore:DynamoDb:TableName", "events"];

        ServerCommandLine.Parse(args).HostArguments.Should().Equal(args);
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:6000")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:6000")]
    public void ListeningIsConfigured_AnAddressOrPortSetting_IsTrue(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        ServerCommandLine.ListeningIsConfigured(configuration).Should().BeTrue();
    }

    [Fact]
    public void ListeningIsConfigured_NoAddressSetting_IsFalse()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("EventStore:Storage", "Sqlite"), new("urls", " ")]).Build();

        ServerCommandLine.ListeningIsConfigured(configuration).Should().BeFalse();
    }

    [Fact]
    public async Task Run_Help_PrintsTheDefaultDataFileInTheUsersDataFolderAndExitsWithZero()
    {
        var dataHome = Path.Combine(Path.GetTempPath(), $"xdg-{Guid.NewGuid():N}");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new ServerProcessSettings { Arguments = ["--help"], Environment = new Dictionary<string, string> { ["XDG_DATA_HOME"] = dataHome } },
            StartTimeout);

        exitCode.Should().Be(0, output);
        output.Should().Contain($"(default: {Path.Combine(dataHome, "ServerlessEventStore", "eventstore.db")})");
        Directory.Exists(dataHome).Should().BeFalse("printing the help creates nothing");
    }

    [Fact]
    public async Task Run_DataFolder_CreatesTheFolderAndKeepsTheStoreThere()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"eventstore-data-{Guid.NewGuid():N}", "nested");
        try
        {
            await using (var server = await ServerProcess.StartAsync(new ServerProcessSettings { Arguments = ["--data", folder] }))
            {
                using var http = new HttpClient { BaseAddress = server.BaseAddress };
                using var appended = await http.PutAsJsonAsync(
                    new Uri($"streams/tool/{Guid.NewGuid()}/events/1", UriKind.Relative),
                    new { @event = new { eventType = "stored-in-the-data-folder", payload = new { } } });
                appended.StatusCode.Should().Be(HttpStatusCode.Created);
                var said = $"Embedded store (SQLite): {Path.Combine(folder, "eventstore.db")}";
                await Poll.UntilAsync(() => server.Output.Contains(said, StringComparison.Ordinal), StartTimeout, () => server.Output);
            }

            File.Exists(Path.Combine(folder, "eventstore.db")).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
