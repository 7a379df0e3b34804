namespace ServerlessEventStore.Types;

/// <summary>
/// Why the overloads that serialize the caller's types with <see cref="System.Text.Json.JsonSerializerOptions"/> are not
/// trim- and AOT-safe, in System.Text.Json's words; each has a twin taking a source-generated JsonTypeInfo.
/// </summary>
internal static class ReflectionJson
{
    public const string UnreferencedCode =
        "JSON serialization and deserialization of the payload or metadata type might require types that cannot be statically analyzed. Use the overload that takes a JsonTypeInfo (System.Text.Json source generation), or make sure all of the required types are preserved.";

    public const string DynamicCode =
        "JSON serialization and deserialization of the payload or metadata type might require types that cannot be statically analyzed and might need runtime code generation. Use the overload that takes a JsonTypeInfo (System.Text.Json source generation) for native AOT applications.";
}
