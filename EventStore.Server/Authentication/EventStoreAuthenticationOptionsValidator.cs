using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// Checks <see cref="EventStoreAuthenticationOptions"/> at start-up, reporting every problem together: known modes,
/// their settings, and no anonymous server on an address other than loopback unless allowed.
/// </summary>
internal sealed class EventStoreAuthenticationOptionsValidator(IConfiguration configuration) : IValidateOptions<EventStoreAuthenticationOptions>
{
    private const string Section = EventStoreAuthenticationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EventStoreAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string[] known = [EventStoreAuthenticationOptions.NoneMode, EventStoreAuthenticationOptions.ApiKeyMode, EventStoreAuthenticationOptions.JwtBearerMode];
        if (options.Modes().Any(mode => !known.Contains(mode, StringComparer.OrdinalIgnoreCase))
            || (options.IsEnabled && options.Modes().Contains(EventStoreAuthenticationOptions.NoneMode, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add($"{Section}:Mode must be 'None', 'ApiKey', 'JwtBearer' or 'ApiKey,JwtBearer'; it is '{options.Mode}'.");
        }

        if (options.UsesApiKeys)
        {
            if (options.ApiKeys.Count == 0)
            {
                failures.Add($"{Section}:ApiKeys must list at least one key in mode ApiKey ({Section}:ApiKeys:0=…).");
            }
            else if (options.ApiKeys.Any(key => key.Trim().Length < EventStoreAuthenticationOptions.MinApiKeyLength))
            {
                failures.Add($"{Section}:ApiKeys must be at least {EventStoreAuthenticationOptions.MinApiKeyLength} characters each.");
            }
        }

        if (options.UsesJwtBearer)
        {
            failures.AddRange(JwtBearerFailures(options.JwtBearer));
        }

        if (!options.IsEnabled && !options.AllowAnonymousNonLoopback
            && ListeningAddresses.Configured(configuration).FirstOrDefault(listening => !ListeningAddresses.IsLoopback(listening.Address)) is ({ } address, { } setting))
        {
            failures.Add(
                $"the server listens on {address} ({setting}), which is not loopback, without authentication: set {Section}:Mode "
                + $"(ApiKey or JwtBearer), or {Section}:AllowAnonymousNonLoopback=true to serve it anonymously.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> JwtBearerFailures(JwtBearerSettings jwt)
    {
        const string Prefix = Section + ":JwtBearer";
        var hasAuthority = !string.IsNullOrWhiteSpace(jwt.Authority);
        var hasKey = !string.IsNullOrWhiteSpace(jwt.SigningKey);
        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            yield return $"{Prefix}:Audience is required in mode JwtBearer: the audience (aud) the tokens must name.";
        }

        if (hasAuthority == hasKey)
        {
            yield return $"{Prefix} needs either Authority (an OpenID Connect issuer's address) or SigningKey (a base64 symmetric key), not {(hasKey ? "both" : "neither")}.";
        }

        if (hasAuthority && !(Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) && (authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && !jwt.RequireHttpsMetadata))))
        {
            yield return $"{Prefix}:Authority must be an absolute https URI (http only with RequireHttpsMetadata=false); it is '{jwt.Authority}'.";
        }

        if (hasKey)
        {
            if (jwt.SigningKeyBytes() is not { Length: >= JwtBearerSettings.MinSigningKeyBytes })
            {
                yield return $"{Prefix}:SigningKey must be base64 of at least {JwtBearerSettings.MinSigningKeyBytes} bytes.";
            }

            if (string.IsNullOrWhiteSpace(jwt.Issuer))
            {
                yield return $"{Prefix}:Issuer is required with SigningKey: the issuer (iss) the tokens must name.";
            }
        }
    }
}
