using System.Net;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>
/// Each value has one spelling: numbers are plain digits, stream ids UUIDs written 8-4-4-4-12 (either case, answered in
/// lower case), so that two requests that look different never name the same thing.
/// </summary>
public abstract class ExactParsingTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("+2")]
    [InlineData("02")]
    [InlineData("%202")]
    [InlineData("2%20")]
    [InlineData("0x2")]
    [InlineData("2e0")]
    [InlineData("%EF%BC%92")]
    public async Task AppendEvents_RevisionNotPlainDigits_Returns400NamingTheFieldAndStoresNothing(string revision)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("streamRevision")[0].GetString().Should().Contain("digits only");
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Theory]
    [InlineData("after-revision=+1")]
    [InlineData("after-revision=01")]
    [InlineData("limit=+5")]
    [InlineData("limit=010")]
    public async Task GetEvents_QueryNumberNotPlainDigits_Returns400(string query)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/events?{query}", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("limit=5&limit=abc")]
    [InlineData("after-revision=0&after-revision=1")]
    public async Task GetEvents_QueryNumberGivenTwice_Returns400(string query)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/events?{query}", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").ToString().Should().Contain("give it once");
    }

    [Theory]
    [InlineData("{{{0}}}")]
    [InlineData("({0})")]
    [InlineData("urn:uuid:{0}")]
    [InlineData(" {0}")]
    [InlineData("0x{1}")]
    [InlineData("0X{1}")]
    [InlineData("+0{1}")]
    [InlineData("00345678-+234-1234-1234-123456789012")]
    public async Task GetStreamDetails_StreamIdInAnotherSpelling_Returns400(string spelling)
    {
        var type = NewType();
        // Starts with two zeros, so that "0x" or "+0" in their place keeps the length of a UUID.
        var id = Guid.Parse($"00{Guid.NewGuid().ToString()[2..]}");
        await _client.CreateStreamAsync(type, streamId: id);
        var spelled = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, id, id.ToString()[2..]);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{Uri.EscapeDataString(spelled)}/details", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("streamId")[0].GetString().Should().Contain("8-4-4-4-12");
    }

    [Fact]
    public async Task AppendEvents_StreamIdWithoutHyphens_Returns400AndCreatesNothing()
    {
        var type = NewType();

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{Guid.NewGuid():N}/events/1", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task GetStreamDetails_StreamIdInUpperCase_NamesTheSameStreamAnsweredInLowerCase()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id.ToString().ToUpperInvariant()}/details", UriKind.Relative));

        var stream = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("stream");
        stream.GetProperty("streamId").GetString().Should().Be(id.ToString());
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json;charset=utf-8")]
    public async Task AppendEvents_Utf8CharsetSpelledAnotherValidWay_IsAccepted(string mediaType)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/2", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}""").WithContentType(mediaType));

        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AppendEvents_HugeCharset_Returns415WithoutEchoingIt()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var charset = new string('a', 5000);

        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/2", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}""").WithContentType($"application/json; charset={charset}"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        problem.GetProperty("detail").GetString()!.Length.Should().BeLessThan(120);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }
}

public sealed class ExactParsingTestsOnSqlite(EventStoreServerFixture server) : ExactParsingTests<EventStoreServerFixture>(server);

public sealed class ExactParsingTestsOnDynamoDb(DynamoDbServerFixture server) : ExactParsingTests<DynamoDbServerFixture>(server);
