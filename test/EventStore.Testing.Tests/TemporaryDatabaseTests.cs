using Microsoft.Data.Sqlite;

namespace EventStore.Testing.Tests;

public sealed class TemporaryDatabaseTests
{
    [Fact]
    public void Dispose_DatabaseInWalModeWithPooledConnection_DeletesItsThreeFiles()
    {
        var database = new TemporaryDatabase();
        using (var connection = new SqliteConnection($"Data Source={database.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);";
            command.ExecuteNonQuery();
        }

        string[] files = [database.Path, database.Path + "-wal", database.Path + "-shm"];
        files.Should().AllSatisfy(file => File.Exists(file).Should().BeTrue("the pooled connection keeps the WAL files"));

        database.Dispose();

        files.Should().AllSatisfy(file => File.Exists(file).Should().BeFalse());
    }

    [Fact]
    public void Path_TwoDatabases_AreDistinctFilesInTheTempFolder()
    {
        using var first = new TemporaryDatabase();
        using var second = new TemporaryDatabase("eventstore-other");

        first.Path.Should().NotBe(second.Path);
        Path.GetDirectoryName(first.Path).Should().Be(Path.TrimEndingDirectorySeparator(Path.GetTempPath()));
        Path.GetFileName(second.Path).Should().StartWith("eventstore-other-").And.EndWith(".db");
        File.Exists(first.Path).Should().BeFalse("nothing is created before SQLite opens it");
    }
}
