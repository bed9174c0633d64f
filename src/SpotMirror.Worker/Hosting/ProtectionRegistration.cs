using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.Runtime;
using SpotMirror.Storage;

namespace SpotMirror.Worker.Hosting;

/// <summary>The "DataProtection" section: where the keys that encrypt stored tokens live.</summary>
public sealed class ProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>The key ring's directory; empty: "keys" beside the database file. Back it up with the database: without it, stored tokens cannot be read.</summary>
    public string? KeysDirectory { get; init; }

    public static string Resolve(string? configured, string databasePath) =>
        string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? ".", "keys")
            : Path.GetFullPath(configured);
}

/// <summary>
/// ASP.NET Core Data Protection behind Core's <see cref="ISecretProtector"/>, with one purpose for provider tokens.
/// Built on first use, not at start-up: a host that never stores a token (a read-only database, a CLI verb) never
/// touches the key ring.
/// </summary>
public sealed class DataProtectionSecretProtector(IOptions<ProtectionOptions> options, IOptions<StorageOptions> storage) : ISecretProtector
{
    private readonly Lazy<IDataProtector> _protector = new(() =>
        DataProtectionProvider.Create(new DirectoryInfo(ProtectionOptions.Resolve(options.Value.KeysDirectory, StorageOptions.Resolve(storage.Value.Path))),
                builder => builder.SetApplicationName("SpotMirror"))
            .CreateProtector("SpotMirror.ProviderTokens.v1"));

    public string Protect(string secret) => _protector.Value.Protect(secret);

    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Value.Unprotect(protectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

public static class ProtectionRegistration
{
    /// <summary>The protector over Data Protection, its keys persisted on disk (not in the database).</summary>
    public static IServiceCollection AddSecretProtection(this IServiceCollection services)
    {
        services.AddOptions<ProtectionOptions>().BindConfiguration(ProtectionOptions.Section);
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return services;
    }
}
