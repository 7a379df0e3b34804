using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ServerlessEventStore.Types;

/// <summary>
/// What an append expects of its stream: an exact revision (the stream is at that revision; 0, <see cref="NoStream"/>:
/// it does not exist yet), <see cref="StreamExists"/> (it exists, at whatever revision: the events go at its end), or
/// <see cref="Any"/> (whatever its state: the events go at its end, and the stream is created when it does not exist).
/// Appends at an exact revision are the optimistic-concurrency ones; the other two never conflict with other writers.
/// Every kind is retry-safe: a repeat of an append whose events (by id) are already stored answers with the stored
/// result and stores nothing twice.
/// </summary>
public readonly struct ExpectedRevision : IEquatable<ExpectedRevision>
{
    private const int AnyValue = -1;
    private const int StreamExistsValue = -2;
    private const string AnyText = "any";
    private const string StreamExistsText = "stream-exists";
    private const string NoStreamText = "no-stream";

    private readonly int _value;

    private ExpectedRevision(int value) => _value = value;

    /// <summary>Whatever the stream's state: appended at its end; created when it does not exist.</summary>
    public static ExpectedRevision Any => new(AnyValue);

    /// <summary>The stream must not exist yet: the same as revision 0.</summary>
    public static ExpectedRevision NoStream => new(0);

    /// <summary>The stream must exist, at whatever revision: appended at its end.</summary>
    public static ExpectedRevision StreamExists => new(StreamExistsValue);

    /// <summary>The exact revision expected, or <see langword="null"/> for <see cref="Any"/> and <see cref="StreamExists"/>.</summary>
    public int? Revision => _value >= 0 ? _value : null;

    /// <summary>Whether this is <see cref="Any"/>.</summary>
    public bool IsAny => _value == AnyValue;

    /// <summary>Whether this is <see cref="StreamExists"/>.</summary>
    public bool IsStreamExists => _value == StreamExistsValue;

    /// <summary>The stream must be at exactly <paramref name="revision"/> (0: it must not exist yet).</summary>
    /// <param name="revision">The revision: the number of events the stream holds.</param>
    /// <returns>The expectation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is negative.</exception>
    public static ExpectedRevision Exactly(int revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new(revision);
    }

    /// <summary>The stream must be at exactly <paramref name="revision"/>.</summary>
    /// <param name="revision">The revision.</param>
    public static implicit operator ExpectedRevision(int revision) => Exactly(revision);

    /// <summary>Equality.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether both expect the same.</returns>
    public static bool operator ==(ExpectedRevision left, ExpectedRevision right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they expect different things.</returns>
    public static bool operator !=(ExpectedRevision left, ExpectedRevision right) => !left.Equals(right);

    /// <summary>
    /// Reads the API's spelling (the query value <c>expected-revision</c>): <c>any</c>, <c>stream-exists</c>,
    /// <c>no-stream</c>, or a revision in decimal digits without sign or leading zeros.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The expectation.</param>
    /// <returns>Whether <paramref name="text"/> is one.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ExpectedRevision value)
    {
        value = default;
        switch (text)
        {
            case AnyText:
                value = Any;
                return true;
            case StreamExistsText:
                value = StreamExists;
                return true;
            case NoStreamText:
                value = NoStream;
                return true;
            case null or "" or { Length: > 10 }:
                return false;
        }

        if ((text.Length > 1 && text[0] == '0') || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            return false;
        }

        value = new ExpectedRevision(revision);
        return true;
    }

    /// <summary>The API's spelling: <c>any</c>, <c>stream-exists</c>, <c>no-stream</c> (revision 0), or the revision.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _value switch
    {
        AnyValue => AnyText,
        StreamExistsValue => StreamExistsText,
        0 => NoStreamText,
        _ => _value.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public bool Equals(ExpectedRevision other) => _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ExpectedRevision other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value;
}
