namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// How the server authenticates callers when self-hosted (configuration section <c>EventStore:Authentication</c>):
/// every endpoint of the contract except <c>/liveness-check</c> then needs an API key or a bearer token; the health
/// checks, the OpenAPI document and the pages stay anonymous. Off by default, which the server allows only while it
/// listens on loopback (or with <see cref="AllowAnonymousNonLoopback"/>). In AWS the Function URL's IAM auth guards it.
/// </summary>
public sealed class EventStoreAuthenticationOptions
{
    /// <summary>Configuration section of these settings.</summary>
    public const string SectionName = "EventStore:Authentication";

    /// <summary>No authentication: every caller may read and append.</summary>
    public const string NoneMode = "None";

    /// <summary>An API key of <see cref="ApiKeys"/>, in <c>Authorization: ApiKey &lt;key&gt;</c> or <c>X-Api-Key</c>.</summary>
    public const string ApiKeyMode = "ApiKey";

    /// <summary>A JWT bearer token (<c>Authorization: Bearer &lt;token&gt;</c>) as <see cref="JwtBearer"/> describes it.</summary>
    public const string JwtBearerMode = "JwtBearer";

    /// <summary>
    /// <c>None</c> (the default), <c>ApiKey</c>, <c>JwtBearer</c>, or both as <c>ApiKey,JwtBearer</c> (either credential
    /// is accepted).
    /// </summary>
    public string Mode { get; set; } = NoneMode;

    /// <summary>
    /// The accepted API keys (mode <c>ApiKey</c>), at least <see cref="MinApiKeyLength"/> characters each. The server keeps
    /// only their SHA-256 hashes and compares a request's key with them in constant time.
    /// </summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>The accepted bearer tokens (mode <c>JwtBearer</c>).</summary>
    public JwtBearerSettings JwtBearer { get; set; } = new();

    /// <summary>
    /// Whether the server may listen on an address other than loopback with <see cref="Mode"/> <c>None</c>, e.g. behind
    /// a gateway that authenticates for it. Off: such a server refuses to start.
    /// </summary>
    public bool AllowAnonymousNonLoopback { get; set; }

    /// <summary>Shortest API key accepted in <see cref="ApiKeys"/>.</summary>
    public const int MinApiKeyLength = 16;

    internal bool UsesApiKeys => Modes().Contains(ApiKeyMode, StringComparer.OrdinalIgnoreCase);

    internal bool UsesJwtBearer => Modes().Contains(JwtBearerMode, StringComparer.OrdinalIgnoreCase);

    internal bool IsEnabled => UsesApiKeys || UsesJwtBearer;

    /// <summary>The modes named in <see cref="Mode"/>, <c>None</c> for none.</summary>
    internal string[] Modes() => string.IsNullOrWhiteSpace(Mode)
        ? [NoneMode]
        : Mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
