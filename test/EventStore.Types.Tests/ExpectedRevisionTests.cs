namespace ServerlessEventStore.Types.Tests;

public sealed class ExpectedRevisionTests
{
    [Theory]
    [InlineData("any")]
    [InlineData("stream-exists")]
    [InlineData("no-stream")]
    [InlineData("1")]
    [InlineData("2147483647")]
    public void TryParse_TheApisSpelling_RoundTripsThroughToString(string text)
    {
        ExpectedRevision.TryParse(text, out var expected).Should().BeTrue();

        expected.ToString().Should().Be(text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Any")]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("2147483648")]
    [InlineData("١")]
    public void TryParse_AnyOtherText_IsRefused(string? text)
    {
        ExpectedRevision.TryParse(text, out _).Should().Be(false, text);
    }

    [Fact]
    public void TryParse_Zero_IsNoStream()
    {
        ExpectedRevision.TryParse("0", out var expected).Should().BeTrue();

        expected.Should().Be(ExpectedRevision.NoStream);
    }

    [Fact]
    public void Values_SayWhatTheyAre()
    {
        ExpectedRevision.Any.IsAny.Should().BeTrue();
        ExpectedRevision.Any.Revision.Should().BeNull();
        ExpectedRevision.StreamExists.IsStreamExists.Should().BeTrue();
        ExpectedRevision.StreamExists.Revision.Should().BeNull();
        ExpectedRevision.NoStream.Revision.Should().Be(0);
        ((ExpectedRevision)5).Should().Be(ExpectedRevision.Exactly(5));
        ExpectedRevision.Exactly(0).Should().Be(ExpectedRevision.NoStream);
        FluentActions.Invoking(() => ExpectedRevision.Exactly(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
