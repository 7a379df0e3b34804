using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>Checks <see cref="SqliteStorageOptions"/> against the rules its properties declare, at start-up (generated at build time).</summary>
[OptionsValidator]
internal sealed partial class SqliteStorageOptionsValidator : IValidateOptions<SqliteStorageOptions>;
