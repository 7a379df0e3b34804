using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// The relay's checkpoint as a small JSON file. Written to a temporary file beside it, flushed to disk and moved over the
/// old one, so that a crash leaves either the old checkpoint or the new one, never a torn file.
/// </summary>
internal sealed partial class CheckpointFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The checkpoint, or <see langword="null"/> when there is no file.</summary>
    /// <exception cref="JsonException">The file is not a checkpoint.</exception>
    public StreamCheckpoint? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize(File.ReadAllBytes(Path), CheckpointJson.Default.Stored);
        return stored?.StreamArn is null
            ? throw new JsonException($"{Path} holds no streamArn.")
            : new StreamCheckpoint(stored.StreamArn, new Dictionary<string, ShardProgress>(stored.Shards ?? [], StringComparer.Ordinal));
    }

    public void Save(StreamCheckpoint checkpoint)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, new Stored(checkpoint.StreamArn, new Dictionary<string, ShardProgress>(checkpoint.Shards)), CheckpointJson.Default.Stored);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    private sealed record Stored(string? StreamArn, Dictionary<string, ShardProgress>? Shards);

    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(Stored))]
    private sealed partial class CheckpointJson : JsonSerializerContext;
}
