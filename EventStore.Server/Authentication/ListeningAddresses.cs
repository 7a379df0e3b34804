using System.Net;

namespace ServerlessEventStore.Server.Authentication;

/// <summary>
/// The addresses the server is configured to listen on, read from configuration as Kestrel reads them: the endpoints
/// of <c>Kestrel:Endpoints</c>, and <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) or, when that is not set,
/// <c>http_ports</c> and <c>https_ports</c> (which listen on every interface). None: Kestrel's default, localhost.
/// </summary>
internal static class ListeningAddresses
{
    /// <summary>The configured addresses, each with the setting that names it.</summary>
    public static IEnumerable<(string Address, string Setting)> Configured(IConfiguration configuration)
    {
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return (url, $"Kestrel:Endpoints:{endpoint.Key}:Url");
            }
        }

        if (configuration["urls"] is { Length: > 0 } urls)
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return (url, "urls");
            }

            yield break;
        }

        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
        {
            foreach (var port in (configuration[key] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return ($"{scheme}://*:{port}", key);
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> can be reached from this machine only: localhost, a loopback IP, a Unix socket.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            // Kestrel refuses it at start-up, with its own message.
            return true;
        }

        return parsed.IsUnixPipe
            || string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
