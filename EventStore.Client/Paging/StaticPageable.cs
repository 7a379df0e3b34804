using System.Runtime.CompilerServices;

namespace ServerlessEventStore.Client.Paging;

/// <summary>
/// The <see cref="AsyncPageable{T}"/> of <see cref="AsyncPageable{T}.FromPages"/>: pages given up front, for tests and
/// mocks of the client's reads. A continuation token resumes after the page that carries it, as the server's do.
/// </summary>
internal sealed class StaticPageable<T> : AsyncPageable<T>
{
    private readonly IReadOnlyList<Page<T>> _pages;

    public StaticPageable(IReadOnlyList<Page<T>> pages)
    {
        _pages = pages;
    }

    public override IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null) =>
        EnumerateAsync(continuationToken, CancellationToken);

    private async IAsyncEnumerable<Page<T>> EnumerateAsync(string? continuationToken, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = 0;
        if (continuationToken is not null)
        {
            var after = FindIndex(continuationToken);
            start = after < 0
                ? throw new ArgumentException($"No page carries the continuation token '{continuationToken}'.", nameof(continuationToken))
                : after + 1;
        }

        for (var index = start; index < _pages.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return _pages[index];
        }
    }

    private int FindIndex(string continuationToken)
    {
        for (var index = 0; index < _pages.Count; index++)
        {
            if (_pages[index].ContinuationToken == continuationToken)
            {
                return index;
            }
        }

        return -1;
    }
}
