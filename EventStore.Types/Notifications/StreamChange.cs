namespace ServerlessEventStore.Types;

/// <summary>
/// What a <see cref="StreamNotification"/> reports about its stream: <see cref="Appended"/> (events were appended: the
/// original's notification, and the default), <see cref="Deleted"/> or <see cref="Truncated"/> — or a change that a newer
/// server reports and this version does not know, which keeps its <see cref="Name"/>.
/// </summary>
/// <remarks>
/// An extensible enumeration, as in the Azure SDK: compare with <c>==</c> against the known values; names compare
/// case-insensitively. In a notification's JSON it is the member <c>Change</c>: absent for <see cref="Appended"/> (so an
/// append's message stays the original's), <c>"deleted"</c>, <c>"truncated"</c>, or whatever a newer server writes. A
/// consumer that meets a change it does not know can treat it as "the stream changed" and read it again.
/// </remarks>
public readonly struct StreamChange : IEquatable<StreamChange>
{
    private const string AppendedName = "appended";
    private const string DeletedName = "deleted";
    private const string TruncatedName = "truncated";

    // Null for default(StreamChange): a notification that names no change reports an append.
    private readonly string? _name;

    /// <summary>Creates the change named <paramref name="name"/>, e.g. one read from a newer server's notification.</summary>
    /// <param name="name">The name as the notification's <c>Change</c> member spells it, e.g. <c>deleted</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public StreamChange(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
    }

    /// <summary>Events were appended; the stream reached <see cref="StreamNotification.StreamRevision"/>. The default.</summary>
    public static StreamChange Appended => default;

    /// <summary>
    /// The stream was deleted (softly or for good) at <see cref="StreamNotification.StreamRevision"/>: a read model drops
    /// what it holds of it.
    /// </summary>
    public static StreamChange Deleted => new(DeletedName);

    /// <summary>
    /// The stream's events before <see cref="StreamNotification.TruncatedBefore"/> were removed; its revision is unchanged,
    /// and what a read model has already applied stays valid.
    /// </summary>
    public static StreamChange Truncated => new(TruncatedName);

    /// <summary>The change's name: <c>appended</c>, <c>deleted</c>, <c>truncated</c>, or the name a newer server wrote.</summary>
    public string Name => _name ?? AppendedName;

    /// <summary>Equality of the names, ignoring case.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether both are the same change.</returns>
    public static bool operator ==(StreamChange left, StreamChange right) => left.Equals(right);

    /// <summary>Inequality of the names, ignoring case.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are different changes.</returns>
    public static bool operator !=(StreamChange left, StreamChange right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(StreamChange other) => string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamChange other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);

    /// <summary>The change's <see cref="Name"/>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
