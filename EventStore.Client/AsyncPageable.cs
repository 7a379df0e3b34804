namespace ServerlessEventStore.Client;

/// <summary>
/// A collection of values read from the event store page by page, as the consumer asks for them. Each enumeration
/// starts over from the first page; a page is requested only when enumeration reaches it. Use
/// <see cref="AsPages(string?, int?)"/> to work with whole pages and continuation tokens, e.g. to resume later.
/// </summary>
/// <typeparam name="T">Type of the values.</typeparam>
public abstract class AsyncPageable<T> : IAsyncEnumerable<T>
{
    /// <summary>Creates a pageable without a cancellation token of its own; for mocking.</summary>
    protected AsyncPageable()
        : this(CancellationToken.None)
    {
    }

    /// <summary>Creates a pageable whose requests observe <paramref name="cancellationToken"/>.</summary>
    /// <param name="cancellationToken">Token given to the operation that created this pageable.</param>
    protected AsyncPageable(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
    }

    /// <summary>The token given to the operation that created this pageable; observed by every enumeration.</summary>
    protected virtual CancellationToken CancellationToken { get; }

    /// <summary>Enumerates the values page by page.</summary>
    /// <param name="continuationToken">
    /// A <see cref="Page{T}.ContinuationToken"/> from an earlier enumeration, to resume with the page after it;
    /// <see langword="null"/> to start from the beginning.
    /// </param>
    /// <param name="pageSizeHint">Number of values per request; the client's configured page size when omitted.</param>
    /// <returns>The pages, requested one at a time as enumeration reaches them.</returns>
    public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null);

    /// <summary>
    /// Enumerates all values, requesting pages as needed. Observes both the token given to the operation that created
    /// this pageable and <paramref name="cancellationToken"/> (e.g. from <c>WithCancellation</c>), also between values
    /// of a page already received.
    /// </summary>
    /// <param name="cancellationToken">Token that stops this enumeration.</param>
    /// <returns>An enumerator over all values.</returns>
    /// <exception cref="OperationCanceledException">Either token was canceled.</exception>
    public virtual async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, cancellationToken);
        var token = linked.Token;
        await foreach (var page in AsPages().WithCancellation(token).ConfigureAwait(false))
        {
            foreach (var value in page.Values)
            {
                token.ThrowIfCancellationRequested();
                yield return value;
            }
        }
    }
}
