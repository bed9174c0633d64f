using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SpotMirror.Http;

/// <summary>The HTTP API (section "Http"): on by default, on loopback only, with an API key for writes beyond it.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const int MinimumKeyLength = 16;

    public bool Enabled { get; set; } = true;

    /// <summary>Where Kestrel listens: one or more http:// addresses separated by ';'. Port 0 picks a free port.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>The key that POST and DELETE requests must send in the X-Api-Key header; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Urls split into addresses.</summary>
    public IReadOnlyList<string> ListenUrls() =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Checks Http options at start-up; each failure is a sentence that says what to set.</summary>
public sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return ValidateOptionsResult.Success;

        var failures = new List<string>();
        var urls = options.ListenUrls();
        if (urls.Count == 0)
        {
            failures.Add($"Http:Urls is empty: set it to one or more http:// addresses separated by ';' (default {HttpOptions.DefaultUrls}), or set Http:Enabled=false.");
        }
        foreach (var url in urls)
        {
            if (Problem(url) is { } problem) failures.Add(problem);
        }
        if (options.ApiKey is { } key && key.Trim().Length < HttpOptions.MinimumKeyLength)
        {
            failures.Add($"Http:ApiKey is shorter than {HttpOptions.MinimumKeyLength} characters: set a longer random key (or remove it to keep writes on loopback only).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Problem(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return $"Http:Urls has \"{url}\", which is not an address to listen on: use http://HOST:PORT, e.g. {HttpOptions.DefaultUrls}.";
        }
        var host = address.Host.StartsWith('[') && address.Host.EndsWith(']') ? address.Host[1..^1] : address.Host;
        if (!address.IsUnixPipe && !address.IsNamedPipe && (address.Port is < 0 or > 65535 || (host is not ("*" or "+") && Uri.CheckHostName(host) == UriHostNameType.Unknown)))
        {
            return $"Http:Urls has \"{url}\", which is not an address to listen on: use http://HOST:PORT, e.g. {HttpOptions.DefaultUrls}.";
        }
        if (string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            return $"Http:Urls has \"{url}\": the API serves plain http (no certificate is configured); use http:// and put a TLS reverse proxy in front.";
        }
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase) || address.IsUnixPipe || address.IsNamedPipe)
        {
            return $"Http:Urls has \"{url}\": use http://HOST:PORT, e.g. {HttpOptions.DefaultUrls}.";
        }
        if (address.PathBase.Length > 0)
        {
            return $"Http:Urls has \"{url}\" with a path: give the address only (http://HOST:PORT).";
        }
        return null;
    }
}
