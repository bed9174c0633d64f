using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace SpotMirror.Testing;

/// <summary>
/// A throwaway PostgreSQL server for the test run: initdb in a temporary folder, a free port on 127.0.0.1,
/// password authentication over TCP. The server refuses to run as root, so when the tests do, it runs as the
/// unprivileged `postgres` user that Debian's package creates. One cluster per test process (Shared); each
/// test class asks it for a fresh database. It is stopped and its folder deleted when the process exits.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string User = "spotmirror";
    private const string ServiceAccount = "postgres";
    private const string FolderPrefix = "spotmirror-pg-";
    private const string OwnerFile = "owner";
    private static readonly Lazy<PostgresCluster> SharedCluster = new(() => Launch(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _durable;
    private int _databases;
    private int _disposed;

    private PostgresCluster(string folder, string bin, int port, string password, bool durable = false)
    {
        _durable = durable;
        _folder = folder;
        _bin = bin;
        Port = port;
        Password = password;
    }

    /// <summary>The cluster of this test process, started on first use.</summary>
    public static PostgresCluster Shared => SharedCluster.Value;

    public int Port { get; }
    public string Password { get; }
    public string DataFolder => Path.Combine(_folder, "data");

    /// <summary>A connection string for a database on this cluster (the maintenance database by default).</summary>
    public string ConnectionString(string database = "postgres", string? password = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = password ?? Password,
        Database = database,
        Pooling = true,
    }.ToString();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..24];
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = connection.CreateCommand();
        // Identifiers cannot be parameters; this one is made of digits, hex and an underscore only.
        command.CommandText = "CREATE DATABASE " + name;
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by CreateDatabase, closing whatever connections are left on it.</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    /// <summary>Stops the server at once (as a crash would) and starts it again on the same port and data.</summary>
    public void Restart()
    {
        PgCtl("stop", "-m", "immediate", "-w");
        PgCtl("start", "-w", "-l", Path.Combine(_folder, "server.log"), "-o", ServerOptions(Port));
    }

    public void Stop() => PgCtl("stop", "-m", "fast", "-w");

    public void Start() => PgCtl("start", "-w", "-l", Path.Combine(_folder, "server.log"), "-o", ServerOptions(Port));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            PgCtl("stop", "-m", "immediate", "-w");
        }
        catch (InvalidOperationException)
        {
            // Already stopped; the folder goes anyway.
        }
        // The server may still be removing its own files for a moment after pg_ctl returns.
        for (var attempt = 0; attempt < 5 && Directory.Exists(_folder); attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>
    /// A cluster of its own, stopped and deleted on dispose. Tests use <see cref="Shared"/>, which skips fsync; a
    /// benchmark of durable writes asks for durable: true, which keeps PostgreSQL's default (fsync on).
    /// </summary>
    public static PostgresCluster Launch(bool durable)
    {
        var bin = FindBinaries();
        SweepAbandoned(bin);
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var passwordFile = Path.Combine(folder, "pw");
        File.WriteAllText(passwordFile, password);
        if (Environment.IsPrivilegedProcess) Run("chown", ["-R", $"{ServiceAccount}:{ServiceAccount}", folder], asService: false);

        var cluster = new PostgresCluster(folder, bin, FreePort(), password, durable);
        cluster.Exec("initdb", ["-D", cluster.DataFolder, "-U", User, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"]);
        File.Delete(passwordFile);
        cluster.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    /// <summary>
    /// Stops and deletes clusters whose test process is gone: the test host may be ended before its exit
    /// handler has deleted the folder, or killed before it stopped the server.
    /// </summary>
    private static void SweepAbandoned(string bin)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && IsAlive(pid)) continue;
            var stale = new PostgresCluster(folder, bin, 0, "");
            try
            {
                if (File.Exists(Path.Combine(stale.DataFolder, "postmaster.pid"))) stale.PgCtl("stop", "-m", "immediate", "-w");
            }
            catch (InvalidOperationException)
            {
                // Not running after all.
            }
            stale.Dispose();
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private string ServerOptions(int port) =>
        $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= {(_durable ? "" : "-c fsync=off ")}-c max_connections=200";

    private void PgCtl(params string[] arguments) => Exec("pg_ctl", ["-D", DataFolder, .. arguments]);

    private void Exec(string tool, IReadOnlyList<string> arguments) =>
        Run(Path.Combine(_bin, tool), arguments, asService: Environment.IsPrivilegedProcess);

    private static void Run(string file, IReadOnlyList<string> arguments, bool asService)
    {
        var info = new ProcessStartInfo(asService ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asService)
        {
            foreach (var part in new[] { "-u", ServiceAccount, "--", file }) info.ArgumentList.Add(part);
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within 60 s.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }

    /// <summary>The newest PostgreSQL server binaries Debian's packages installed.</summary>
    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Path: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Path, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Path)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("No PostgreSQL server under /usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
