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
    public async Task A_known_user_is_rewritten_only_when_their_name_changed_or_seen_at_is_an_hour_old()
    {
        var id = await _f.UserAsync("ana");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SetSeenAsync(id, now - (long)TimeSpan.FromMinutes(10).TotalMilliseconds);

        // Seen ten minutes ago, same name: the row stays as it is, and the id is still given.
        Assert.Equal(id, await _f.UserAsync("ana"));
        Assert.Equal(now - (long)TimeSpan.FromMinutes(10).TotalMilliseconds, (await RowAsync(id)).SeenAt);

        // Seen two hours ago: the event moves seen_at on.
        await SetSeenAsync(id, now - (long)TimeSpan.FromHours(2).TotalMilliseconds);
        Assert.Equal(id, await _f.UserAsync("ana"));
        Assert.True((await RowAsync(id)).SeenAt >= now);

        // A new name is written at once; an event with no name keeps it.
        Assert.Equal(id, await _f.Users.ResolveAsync(new ChatUser("test", "ana", "Ana B."), CancellationToken.None));
        Assert.Equal("Ana B.", (await RowAsync(id)).DisplayName);
        Assert.Equal(id, await _f.Users.ResolveAsync(new ChatUser("test", "ana", ""), CancellationToken.None));
        Assert.Equal("Ana B.", (await RowAsync(id)).DisplayName);
    }

    private Task<int> SetSeenAsync(long id, long seenAt) =>
        _f.Db.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE users SET seen_at = @seenAt WHERE id = @id", new { id, seenAt }, t), CancellationToken.None);

    private Task<(string DisplayName, long SeenAt)> RowAsync(long id) =>
        _f.Db.Database.ReadAsync(c => c.QuerySingleAsync<(string, long)>("SELECT display_name, seen_at FROM users WHERE id = @id", new { id }), CancellationToken.None);

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
