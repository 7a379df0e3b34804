using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessEventStore.Client.Generated;

/// <summary>
/// A response's headers (its own and its content's) by name, read from the response the first time they are asked
/// for. The generated transport makes one per response, but only errors read them (into
/// <see cref="EventStoreTransportException.Headers"/>, which takes them before the response is disposed): an answer
/// that succeeds does not copy its headers into a dictionary it never looks at.
/// </summary>
internal sealed class ResponseHeaders(HttpResponseMessage response) : IReadOnlyDictionary<string, IEnumerable<string>>
{
    private Dictionary<string, IEnumerable<string>>? _headers;

    public int Count => Headers.Count;

    public IEnumerable<string> Keys => Headers.Keys;

    public IEnumerable<IEnumerable<string>> Values => Headers.Values;

    private Dictionary<string, IEnumerable<string>> Headers => _headers ??= ReadFrom(response);

    public IEnumerable<string> this[string key] => Headers[key];

    public bool ContainsKey(string key) => Headers.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IEnumerable<string> value) => Headers.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, IEnumerable<string>>> GetEnumerator() => Headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The headers, read from the response now if they were not yet.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Read() => Headers;

    private static Dictionary<string, IEnumerable<string>> ReadFrom(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = values;
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            headers[name] = values;
        }

        return headers;
    }
}
