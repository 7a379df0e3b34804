namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The request fields found invalid and why, answered together as one 400 validation problem. Fields are named as the
/// caller names them (<c>limit</c>, <c>events[1].eventId</c>, <c>$.event</c> for a body that could not be read), once
/// each whatever their case, and listed level by level: the fields of the request before those inside them, and within
/// a level the shorter name first, then by name (<c>direction</c>, <c>after-revision</c>, <c>before-revision</c>). At
/// most <see cref="MaxErrors"/> messages are kept; the last place goes to a note that there were more.
/// </summary>
internal sealed class ValidationErrors
{
    /// <summary>The most messages one answer lists.</summary>
    public const int MaxErrors = 200;

    private const string TooManyErrors = "The input was not valid.";

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _fields = [];
    private int _count;
    private bool _truncated;

    /// <summary>Whether no field is invalid.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>Says what is wrong with <paramref name="field"/>.</summary>
    /// <param name="field">The field, as the caller names it.</param>
    /// <param name="message">What is wrong.</param>
    public void Add(string field, string message)
    {
        if (_count >= MaxErrors - 1)
        {
            if (!_truncated)
            {
                _truncated = true;
                AddMessage(string.Empty, TooManyErrors);
            }

            return;
        }

        AddMessage(field, message);
    }

    /// <summary>Whether <paramref name="field"/> is invalid already.</summary>
    /// <param name="field">The field.</param>
    /// <returns><see langword="true"/> when a message names it.</returns>
    public bool Contains(string field) => _errors.ContainsKey(field);

    /// <summary>The errors as the problem's <c>errors</c> member: each field with its messages, in the order described above.</summary>
    /// <returns>A new dictionary.</returns>
    public Dictionary<string, string[]> ToDictionary()
    {
        var ordered = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in _fields.OrderBy(Segments, SegmentsComparer.Instance))
        {
            ordered[field] = [.. _errors[field]];
        }

        return ordered;
    }

    private void AddMessage(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
            _fields.Add(field);
        }

        messages.Add(message);
        _count++;
    }

    /// <summary>A field's levels: <c>events[1].eventId</c> → <c>events</c>, <c>[1]</c>, <c>eventId</c>.</summary>
    private static string[] Segments(string field)
    {
        var segments = new List<string>();
        var start = 0;
        for (var i = 0; i <= field.Length; i++)
        {
            if (i == field.Length || field[i] is '.' or '[')
            {
                if (i > start)
                {
                    segments.Add(field[start..i]);
                }

                start = i < field.Length && field[i] == '.' ? i + 1 : i;
            }
        }

        return [.. segments];
    }

    private sealed class SegmentsComparer : IComparer<string[]>
    {
        public static readonly SegmentsComparer Instance = new();

        public int Compare(string[]? x, string[]? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            if (x.Length != y.Length)
            {
                return x.Length.CompareTo(y.Length);
            }

            for (var i = 0; i < x.Length; i++)
            {
                var byLength = x[i].Length.CompareTo(y[i].Length);
                var order = byLength != 0 ? byLength : string.Compare(x[i], y[i], StringComparison.OrdinalIgnoreCase);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        }
    }
}
