using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Sqlite;

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

/// <summary>ASP.NET Core Data Protection behind Core's <see cref="ISecretProtector"/>, with one purpose for provider tokens.</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("SpotMirror.ProviderTokens.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

public static class ProtectionRegistration
{
    /// <summary>Data Protection with its keys persisted on disk (not in the database), and the protector over it.</summary>
    public static IServiceCollection AddSecretProtection(this IServiceCollection services)
    {
        services.AddOptions<ProtectionOptions>().BindConfiguration(ProtectionOptions.Section);
        services.AddDataProtection().SetApplicationName("SpotMirror");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<ProtectionOptions>, SqliteDatabase, Microsoft.Extensions.Logging.ILoggerFactory>((keys, protection, database, logging) =>
            keys.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                new DirectoryInfo(ProtectionOptions.Resolve(protection.Value.KeysDirectory, database.Path)),
                logging));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return services;
    }
}
