namespace ServerlessEventStore.Client.Tests;

public sealed class StaticPageableTests
{
    [Fact]
    public async Task FromValues_FivePageSizeTwo_EnumeratesAllInThreePagesAndAgain()
    {
        var pageable = AsyncPageable<int>.FromValues([1, 2, 3, 4, 5], pageSize: 2);

        var pages = await pageable.AsPages().ToListAsync();
        var values = await pageable.ToListAsync();
        var again = await pageable.ToListAsync();

        pages.Select(page => page.Values.Count).Should().Equal(2, 2, 1);
        pages.Select(page => page.HasMore).Should().Equal(true, true, false);
        pages[^1].ContinuationToken.Should().BeNull();
        values.Should().Equal(1, 2, 3, 4, 5);
        again.Should().Equal(values, "a pageable is re-enumerable");
    }

    [Fact]
    public async Task AsPages_ContinuationTokenOfFirstPage_ResumesWithTheSecond()
    {
        var pageable = AsyncPageable<string>.FromPages([new Page<string>(["a"], "t1"), new Page<string>(["b"], "t2"), new Page<string>(["c"], null)]);

        var resumed = await pageable.AsPages("t1").ToListAsync();

        resumed.SelectMany(page => page.Values).Should().Equal("b", "c");
    }

    [Fact]
    public async Task AsPages_UnknownContinuationToken_ThrowsArgumentException()
    {
        var pageable = AsyncPageable<string>.FromPages([new Page<string>(["a"], null)]);

        var read = async () => await pageable.AsPages("nope").ToListAsync();

        await read.Should().ThrowAsync<ArgumentException>().WithMessage("*nope*");
    }

    [Fact]
    public async Task FromValues_NoValues_OneEmptyLastPage()
    {
        var pages = await AsyncPageable<int>.FromValues([]).AsPages().ToListAsync();

        pages.Should().ContainSingle().Which.Values.Should().BeEmpty();
    }

    [Fact]
    public async Task GetAsyncEnumerator_CanceledToken_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var read = async () => await AsyncPageable<int>.FromValues([1, 2]).ToListAsync(cancellation.Token);

        await read.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void FromPages_NullPage_ThrowsArgumentNull()
    {
        var create = () => AsyncPageable<int>.FromPages([null!]);

        create.Should().Throw<ArgumentNullException>();
    }
}
