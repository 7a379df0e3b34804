namespace ServerlessEventStore.Server.Storage;

/// <summary>Why an append can't be made: the field (<c>expectedRevision</c>, <c>events</c>, <c>events[i].payload</c>, …) and what is wrong.</summary>
/// <param name="Field">The field, as the port names it; events by their index in the append.</param>
/// <param name="Message">What is wrong, naming the limit.</param>
/// <param name="IsTooLarge">Whether it is a size (the API answers 413) rather than a bad value (400).</param>
public sealed record AppendProblem(string Field, string Message, bool IsTooLarge = false);
