using System.Text.Json;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>The DynamoDB Streams relay's checkpoint file: what is saved loads back, and a failed save leaves the old file whole.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private const string StreamArn = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000";
    private readonly string _directory = Directory.CreateTempSubdirectory("eventstore-checkpoint-").FullName;

    [Fact]
    public void DefaultPath_PerTableAndEndpoint_InTheUsersLocalApplicationData()
    {
        var options = new NotificationOptions();
        var local = options.CheckpointPathFor("orders", new Uri("http://127.0.0.1:8000/"), "us-east-1");

        local.Should().StartWith(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "serverless-event-store", "checkpoints", "orders-"));
        options.CheckpointPathFor("orders", new Uri("http://LOCALHOST:8000/"), "us-east-1").Should().NotBe(local, "another endpoint, another table");
        options.CheckpointPathFor("orders", null, "eu-west-1").Should().NotBe(options.CheckpointPathFor("orders", null, "us-east-1"));
        options.CheckpointPathFor("orders", new Uri("http://127.0.0.1:8000/some/path"), "eu-west-1").Should().Be(local, "the same endpoint, whatever the path and signing region");
        options.CheckpointPathFor("invoices", new Uri("http://127.0.0.1:8000/"), "us-east-1").Should().NotBe(local);

        new NotificationOptions { CheckpointPath = "relay.json" }.CheckpointPathFor("orders", null, "us-east-1").Should().Be("relay.json");
    }

    [Fact]
    public void Load_NoFile_ReturnsNull()
    {
        new CheckpointFile(Path.Combine(_directory, "missing.json")).Load().Should().BeNull();
    }

    [Fact]
    public void SaveThenLoad_Checkpoint_RoundTrips()
    {
        var file = new CheckpointFile(Path.Combine(_directory, "nested", "checkpoint.json"));
        var checkpoint = StreamCheckpoint.Empty(StreamArn)
            .With("shardId-1", new ShardProgress("000000000000000000042", Finished: true))
            .With("shardId-2", new ShardProgress("000000000000000000099", Finished: false))
            .With("shardId-3", new ShardProgress(null, Finished: false));

        file.Save(checkpoint);
        var loaded = file.Load();

        loaded!.StreamArn.Should().Be(StreamArn);
        loaded.Shards.Should().BeEquivalentTo(checkpoint.Shards);
        loaded.ProgressOf("shardId-unknown").Should().Be(new ShardProgress(null, Finished: false), "an unknown shard is read from TRIM_HORIZON");
        Directory.GetFiles(Path.GetDirectoryName(file.Path)!).Should().ContainSingle("the temporary file was moved over the checkpoint");
    }

    [Fact]
    public void Save_Again_ReplacesTheWholeFile()
    {
        var file = new CheckpointFile(Path.Combine(_directory, "checkpoint.json"));
        file.Save(StreamCheckpoint.Empty(StreamArn).With("shardId-1", new ShardProgress("1", false)).With("shardId-2", new ShardProgress("2", false)));

        file.Save(StreamCheckpoint.Empty(StreamArn).With("shardId-1", new ShardProgress("3", false)));

        file.Load()!.Shards.Should().BeEquivalentTo(new Dictionary<string, ShardProgress> { ["shardId-1"] = new("3", false) });
    }

    [Fact]
    public void Save_WriteFails_LeavesThePreviousCheckpointIntact()
    {
        var file = new CheckpointFile(Path.Combine(_directory, "checkpoint.json"));
        var previous = StreamCheckpoint.Empty(StreamArn).With("shardId-1", new ShardProgress("7", false));
        file.Save(previous);
        // The temporary file cannot be created (a folder is in its place): as if the disk failed mid-write.
        Directory.CreateDirectory(file.Path + ".tmp");

        var saving = () => file.Save(previous.With("shardId-1", new ShardProgress("8", false)));

        saving.Should().Throw<Exception>().Which.Should().Match(exception => exception is IOException || exception is UnauthorizedAccessException);
        file.Load()!.Shards.Should().BeEquivalentTo(previous.Shards);
    }

    [Fact]
    public void Load_NotACheckpoint_Throws()
    {
        var path = Path.Combine(_directory, "checkpoint.json");
        File.WriteAllText(path, "{\"something\":\"else\"}");

        var loading = () => new CheckpointFile(path).Load();

        loading.Should().Throw<JsonException>();
    }

    [Fact]
    public void Retain_ShardsNoLongerListed_AreDropped()
    {
        var checkpoint = StreamCheckpoint.Empty(StreamArn).With("old", new ShardProgress("1", true)).With("open", new ShardProgress("2", false));

        checkpoint.Retain(["open", "new"]).Shards.Keys.Should().Equal("open");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
