namespace EventStore.Testing;

/// <summary>Where things are in the repository, found from the test binaries' folder upwards.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root: the folder holding <c>EventStore.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The npm project of the local emulators the tests start (<c>test/services</c>).</summary>
    public static string Services => Path.Combine(Root, "test", "services");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventStore.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EventStore.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
