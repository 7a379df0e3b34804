using System.Diagnostics.CodeAnalysis;
using ServerlessEventStore.Client.Paging;

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

    /// <summary>
    /// A pageable of the given pages, for tests of code that reads through a mocked or faked client: each enumeration
    /// yields them in order, and <see cref="AsPages(string?, int?)"/> with a page's
    /// <see cref="Page{T}.ContinuationToken"/> resumes with the page after it (the page size hint is ignored).
    /// </summary>
    /// <param name="pages">The pages; the list is copied.</param>
    /// <returns>The pageable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pages"/> or one of its pages is null.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "The Azure SDK's shape: AsyncPageable<T>.FromPages, where a test that mocks a read looks for it.")]
    public static AsyncPageable<T> FromPages(IEnumerable<Page<T>> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var list = pages.ToList();
        if (list.Contains(null!))
        {
            throw new ArgumentNullException(nameof(pages), "A page is null.");
        }

        return new StaticPageable<T>(list);
    }

    /// <summary>
    /// A pageable of the given values in pages of <paramref name="pageSize"/>, each page but the last with a continuation
    /// token (its index) and <see cref="Page{T}.HasMore"/>; for tests, like <see cref="FromPages"/>.
    /// </summary>
    /// <param name="values">The values; the sequence is read once, now.</param>
    /// <param name="pageSize">Values per page; at least 1.</param>
    /// <returns>The pageable; one empty last page when there are no values, as the server answers an empty read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "The Azure SDK's shape: AsyncPageable<T>.FromPages, where a test that mocks a read looks for it.")]
    public static AsyncPageable<T> FromValues(IEnumerable<T> values, int pageSize = 100)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var chunks = values.Chunk(pageSize).ToList();
        if (chunks.Count == 0)
        {
            return new StaticPageable<T>([new Page<T>([], null)]);
        }

        return new StaticPageable<T>([.. chunks.Select((chunk, index) =>
            index < chunks.Count - 1
                ? new Page<T>(chunk, index.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : new Page<T>(chunk, null))]);
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
