using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;

namespace SpotMirror.Runtime;

/// <summary>
/// The database and every store port over it. Which provider is Storage's business (<see cref="IDatabase.Open"/>):
/// the stores are the same classes on both, so nothing here or above knows which one it has.
/// </summary>
public static class StorageRegistration
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Storage:Path is empty: set it to a file path for the SQLite database (or pass --db PATH).")
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return IDatabase.Open(options.Provider, StorageOptions.Resolve(options.Path), options.ConnectionString, sp.GetService<ILoggerFactory>(), options.GroupCommit);
        });
        services.AddSingleton<SqlCatalogStore>();
        services.AddSingleton<ICatalogStore>(sp => sp.GetRequiredService<SqlCatalogStore>());
        services.AddSingleton<IUserDirectory, SqlUserDirectory>();
        services.AddSingleton<IMessageLedger, SqlMessageLedger>();
        services.AddSingleton<IListPages, SqlListPages>();
        services.AddSingleton<IPreferenceStore, SqlPreferenceStore>();
        // Every batch commit is timed for /metrics, whichever store commits it.
        services.AddSingleton<ICheckpointStore>(sp => new TimedCheckpoints(ActivatorUtilities.CreateInstance<SqlCheckpointStore>(sp)));
        services.AddSingleton<IOutbox, SqlOutbox>();
        services.AddSingleton<IGroupStore, SqlGroupStore>();
        services.AddSingleton<ITransactions, SqlTransactions>();
        services.AddSingleton<IWebSignInStore, SqlWebSignInStore>();
        services.AddSingleton<IPersonalRecords, SqlPersonalRecords>();
        services.AddSingleton<IChangeFeed, SqlChangeFeed>();
        services.AddSingleton<ILeases, SqlLeases>();
        services.AddSingleton<IAuthorizationStore, SqlAuthorizationStore>();
        services.AddSingleton<ILearnedModels, SqlLearnedModels>();
        services.AddSingleton<StorageInitializer>();
        // Beside the SQLite file; on PostgreSQL beside Storage:Path all the same, a file of this worker's own.
        services.AddSingleton(sp => new LearnedModelPath(LearnedModelFile.PathBeside(
            StorageOptions.Resolve(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path))));
        return services;
    }
}
