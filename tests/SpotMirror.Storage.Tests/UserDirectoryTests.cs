using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public abstract class UserDirectoryTests : IDisposable
{
    private readonly StoreFixture _f;

    protected UserDirectoryTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Find_returns_the_id_resolve_gave_on_the_same_platform_only()
    {
        var id = await _f.UserAsync("ana");

        Assert.Equal(id, await _f.Users.FindAsync("test", "ana", CancellationToken.None));
        Assert.Null(await _f.Users.FindAsync("http", "ana", CancellationToken.None));
    }

    [Fact]
    public async Task Finding_an_unknown_user_creates_nothing()
    {
        Assert.Null(await _f.Users.FindAsync("test", "nobody", CancellationToken.None));

        var users = await _f.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"), CancellationToken.None);
        Assert.Equal(0, users);
    }

    [Fact]
    public async Task A_forgotten_user_is_no_longer_found()
    {
        var id = await _f.UserAsync("ana");
        await _f.Db.Alone(u => _f.Users.ForgetAsync(u, id, CancellationToken.None));

        Assert.Null(await _f.Users.FindAsync("test", "ana", CancellationToken.None));
    }
}

public sealed class UserDirectoryOnSqliteTests() : UserDirectoryTests(StoreProvider.Sqlite);

public sealed class UserDirectoryOnPostgresTests() : UserDirectoryTests(StoreProvider.Postgres);
