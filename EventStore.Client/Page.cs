namespace ServerlessEventStore.Client;

/// <summary>One page of results of an <see cref="AsyncPageable{T}"/>.</summary>
/// <typeparam name="T">Type of the values.</typeparam>
public sealed class Page<T>
{
    /// <summary>Creates a page.</summary>
    /// <param name="values">The values in this page.</param>
    /// <param name="continuationToken">Token that resumes after this page; <see langword="null"/> on the last page.</param>
    public Page(IReadOnlyList<T> values, string? continuationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
        ContinuationToken = continuationToken;
    }

    /// <summary>The values in this page, in the order the server returned them.</summary>
    public IReadOnlyList<T> Values { get; }

    /// <summary>
    /// Opaque token that, given to <see cref="AsyncPageable{T}.AsPages(string?, int?)"/>, resumes with the page after this
    /// one; <see langword="null"/> when this is the last page.
    /// </summary>
    public string? ContinuationToken { get; }
}
