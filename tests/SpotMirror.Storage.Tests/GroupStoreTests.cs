using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public abstract class GroupStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreFixture _f;
    private readonly SqlGroupStore _groups;

    protected GroupStoreTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
        _groups = new SqlGroupStore(_f.Db.Database);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task One_lobby_gathers_per_chat_and_its_creator_is_the_first_member()
    {
        var ana = await _f.UserAsync("ana");

        var first = await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c1", ana, "chill", 5, "ProportionalFairness", T0, T0.AddSeconds(60), CancellationToken.None));
        var second = await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c1", ana, null, 5, "Average", T0, T0.AddSeconds(60), CancellationToken.None));
        var elsewhere = await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c2", ana, null, 5, "Average", T0, T0.AddSeconds(60), CancellationToken.None));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(elsewhere);
        Assert.Equal(ana, Assert.Single(await _groups.MembersAsync(first!.Id, CancellationToken.None)).UserId);
        Assert.Equal(first.Id, (await _groups.FindOpenAsync("test", "c1", CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task Joining_and_leaving_count_once_and_only_while_the_lobby_is_open()
    {
        var ana = await _f.UserAsync("ana");
        var ben = await _f.UserAsync("ben");
        var session = (await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c1", ana, null, 5, "Average", T0, T0.AddSeconds(60), CancellationToken.None)))!;

        Assert.True(await _f.Db.Alone(u => _groups.JoinAsync(u, session.Id, ben, T0, CancellationToken.None)));
        Assert.False(await _f.Db.Alone(u => _groups.JoinAsync(u, session.Id, ben, T0, CancellationToken.None)));
        Assert.True(await _f.Db.Alone(u => _groups.LeaveAsync(u, session.Id, ben, CancellationToken.None)));
        Assert.False(await _f.Db.Alone(u => _groups.LeaveAsync(u, session.Id, ben, CancellationToken.None)));

        Assert.True(await _f.Db.Alone(u => _groups.CloseAsync(u, session.Id, new Dictionary<long, double> { [ana] = 0.9 }, T0, CancellationToken.None)));
        Assert.False(await _f.Db.Alone(u => _groups.JoinAsync(u, session.Id, ben, T0, CancellationToken.None)));
        Assert.False(await _f.Db.Alone(u => _groups.CloseAsync(u, session.Id, new Dictionary<long, double>(), T0, CancellationToken.None)));
    }

    [Fact]
    public async Task The_lobby_message_finds_its_session_and_the_last_satisfaction_is_remembered_per_chat()
    {
        var ana = await _f.UserAsync("ana");
        var ben = await _f.UserAsync("ben");
        var session = (await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c1", ana, null, 5, "Average", T0, T0.AddSeconds(60), CancellationToken.None)))!;
        await _f.Db.Alone(u => _groups.SetLobbyMessageAsync(u, session.Id, "m7", CancellationToken.None));

        await _f.Db.Alone(u => _groups.CloseAsync(u, session.Id, new Dictionary<long, double> { [ana] = 0.9, [ben] = 0.4 }, T0, CancellationToken.None));

        var found = await _groups.FindByLobbyAsync("test", "c1", "m7", CancellationToken.None);
        Assert.Equal((session.Id, false), (found!.Id, found.Open));
        var last = await _groups.LastSatisfactionAsync("test", "c1", CancellationToken.None);
        Assert.Equal(0.4, last[ben], 9);
        Assert.Equal(2, (await _groups.MembersAsync(session.Id, CancellationToken.None)).Count);
        Assert.Empty(await _groups.LastSatisfactionAsync("test", "c2", CancellationToken.None));
    }

    [Fact]
    public async Task Only_open_lobbies_whose_time_is_up_are_due()
    {
        var ana = await _f.UserAsync("ana");
        var soon = (await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c1", ana, null, 5, "Average", T0, T0.AddSeconds(60), CancellationToken.None)))!;
        await _f.Db.Alone(u => _groups.OpenAsync(u, "test", "c2", ana, null, 5, "Average", T0, T0.AddSeconds(120), CancellationToken.None));
        await _f.Db.Alone(u => _groups.OpenAsync(u, "other", "c3", ana, null, 5, "Average", T0, T0.AddSeconds(10), CancellationToken.None));

        var due = await _groups.DueAsync("test", T0.AddSeconds(61), CancellationToken.None);

        Assert.Equal(soon.Id, Assert.Single(due).Id);
    }
}

public sealed class GroupStoreOnSqliteTests() : GroupStoreTests(StoreProvider.Sqlite);

public sealed class GroupStoreOnPostgresTests() : GroupStoreTests(StoreProvider.Postgres);
