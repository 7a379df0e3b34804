namespace ServerlessEventStore.Server.Tests.Browser;

/// <summary>The tests that drive Chromium: one browser for all of them, one test class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<PlaywrightChromium>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Browser";
}
