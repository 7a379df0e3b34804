namespace ServerlessEventStore.Client;

/// <summary>One page of results of an <see cref="AsyncPageable{T}"/>.</summary>
/// <typeparam name="T">Type of the values.</typeparam>
public sealed class Page<T>
{
    /// <summary>Creates a page; it is the last one when <paramref name="continuationToken"/> is <see langword="null"/>.</summary>
    /// <param name="values">The values in this page.</param>
    /// <param name="continuationToken">Token that resumes after this page; <see langword="null"/> on the last page.</param>
    public Page(IReadOnlyList<T> values, string? continuationToken)
        : this(values, continuationToken, hasMore: continuationToken is not null)
    {
    }

    /// <summary>Creates a page.</summary>
    /// <param name="values">The values in this page.</param>
    /// <param name="continuationToken">Token that resumes after this page, also when it is the last one.</param>
    /// <param name="hasMore">Whether more values follow this page now.</param>
    public Page(IReadOnlyList<T> values, string? continuationToken, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
        ContinuationToken = continuationToken;
        HasMore = hasMore;
    }

    /// <summary>The values in this page, in the order the server returned them.</summary>
    public IReadOnlyList<T> Values { get; }

    /// <summary>
    /// Opaque token that, given to <see cref="AsyncPageable{T}.AsPages(string?, int?)"/>, resumes with what comes after
    /// this page. The last page carries one too: saved, it resumes with what was added after the end as it was read (the
    /// events appended to a stream since), so a reader can stop at the end and come back. <see langword="null"/> only
    /// when there is no position to resume from (nothing at all was read): start from the beginning then. A listing of
    /// stream types, whose order is no order in time, has none on its last page.
    /// </summary>
    public string? ContinuationToken { get; }

    /// <summary>Whether more values followed this page when it was read; <see langword="false"/> on the last page.</summary>
    public bool HasMore { get; }
}
