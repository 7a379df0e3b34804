using System.Runtime.CompilerServices;

namespace ServerlessEventStore.Client.Paging;

/// <summary>
/// The <see cref="AsyncPageable{T}"/> of every read: <see cref="_fetchPage"/> requests the page that a continuation
/// token (or <see langword="null"/>, the first page) names.
/// </summary>
internal sealed class PagedResults<T> : AsyncPageable<T>
{
    private readonly Func<string?, int, CancellationToken, Task<Page<T>>> _fetchPage;
    private readonly int _defaultPageSize;

    public PagedResults(
        Func<string?, int, CancellationToken, Task<Page<T>>> fetchPage,
        int defaultPageSize,
        CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _fetchPage = fetchPage;
        _defaultPageSize = defaultPageSize;
    }

    public override IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var pageSize = pageSizeHint ?? _defaultPageSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, EventStoreClientOptions.MinPageSize, nameof(pageSizeHint));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, EventStoreClientOptions.MaxPageSize, nameof(pageSizeHint));
        return EnumeratePagesAsync(continuationToken, pageSize, CancellationToken);
    }

    // [EnumeratorCancellation] links the creation token with the one given to WithCancellation / GetAsyncEnumerator.
    private async IAsyncEnumerable<Page<T>> EnumeratePagesAsync(
        string? continuationToken,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Page<T> page;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            page = await _fetchPage(continuationToken, pageSize, cancellationToken).ConfigureAwait(false);
            yield return page;
            continuationToken = page.ContinuationToken;
        }
        while (page.HasMore && continuationToken is not null);
    }
}
