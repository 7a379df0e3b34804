using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace ServerlessEventStore.Server.Browser;

/// <summary>
/// The stream browser: a static page with its script, style and icon, embedded in the server assembly and served
/// anonymously from memory (no file system, so the same under Native AOT). The page reads the API of its own origin.
/// </summary>
internal static class StreamBrowserEndpoints
{
    /// <summary>
    /// Nothing inline and nothing from elsewhere: scripts and styles only from the page's own files, requests only to
    /// its own origin. A stored event that smuggled markup into the page could not run a script even if it got there.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The folder the page's files are served from.</summary>
    public const string FilesPath = "/browser/";

    private const string ResourcePrefix = "browser/";

    /// <summary>Maps the page at <c>/</c> and its files under <see cref="FilesPath"/>.</summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <returns>The same endpoints.</returns>
    public static IEndpointRouteBuilder MapStreamBrowser(this IEndpointRouteBuilder endpoints)
    {
        var page = PageFile.Read("index.html", "text/html; charset=utf-8");
        endpoints.MapGet("/", (HttpContext context) => page.Serve(context)).AllowAnonymous().ExcludeFromDescription();
        PageFile[] files =
        [
            PageFile.Read("browser.js", "text/javascript; charset=utf-8"),
            PageFile.Read("browser.css", "text/css; charset=utf-8"),
            PageFile.Read("icon.svg", "image/svg+xml"),
        ];
        foreach (var file in files)
        {
            endpoints.MapGet(FilesPath + file.Name, (HttpContext context) => file.Serve(context)).AllowAnonymous().ExcludeFromDescription();
        }

        return endpoints;
    }

    /// <summary>One file of the page, its content and an entity tag made from it.</summary>
    private sealed record PageFile(string Name, string ContentType, byte[] Content, EntityTagHeaderValue EntityTag)
    {
        public static PageFile Read(string name, string contentType)
        {
            using var stream = typeof(StreamBrowserEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"The stream browser's {name} is not embedded in the server.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var tag = new EntityTagHeaderValue($"\"{Convert.ToBase64String(SHA256.HashData(content).AsSpan(0, 16)).TrimEnd('=')}\"");
            return new PageFile(name, contentType, content, tag);
        }

        /// <summary>
        /// The file, or 304 when the browser holds this version (the result answers <c>If-None-Match</c>). No-cache:
        /// a browser asks again each time, so a new server's page is never mixed with an old script.
        /// </summary>
        public IResult Serve(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(Content, ContentType, entityTag: EntityTag);
        }
    }
}
