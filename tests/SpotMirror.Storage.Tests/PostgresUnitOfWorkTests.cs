using Dapper;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public sealed class PostgresUnitOfWorkTests : IDisposable
{
    private readonly TempPostgresDatabase _db = new();

    public PostgresUnitOfWorkTests()
    {
        _db.Database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE notes (text TEXT NOT NULL)", transaction: t), CancellationToken.None)
            .GetAwaiter().GetResult();
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_failed_step_takes_back_only_its_own_writes_and_after_commit_actions()
    {
        var ran = new List<string>();

        await _db.Database.RunAsync(async (unit, ct) =>
        {
            await Note(unit, "kept", ran);
            await Assert.ThrowsAsync<InvalidOperationException>(() => unit.StepAsync<int>(async _ =>
            {
                await Note(unit, "taken back", ran);
                throw new InvalidOperationException("the step fails");
            }, ct));
            return 0;
        }, CancellationToken.None);

        Assert.Equal(["kept"], await NotesAsync());
        Assert.Equal(["kept"], ran);
    }

    [Fact]
    public async Task A_unit_that_throws_commits_nothing_and_runs_no_after_commit_action()
    {
        var ran = new List<string>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _db.Database.RunAsync<int>(async (unit, _) =>
        {
            await Note(unit, "never", ran);
            throw new InvalidOperationException("the unit fails");
        }, CancellationToken.None));

        Assert.Empty(await NotesAsync());
        Assert.Empty(ran);
    }

    [Fact]
    public async Task Opening_a_unit_inside_a_unit_is_refused_rather_than_waiting_for_itself()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _db.Database.RunAsync((_, ct) =>
            _db.Database.RunAsync((_, _) => Task.FromResult(0), ct), CancellationToken.None));

        Assert.Contains("already open", error.Message, StringComparison.Ordinal);
    }

    private Task<int> Note(Core.Ports.IUnitOfWork unit, string text, List<string> ran) =>
        _db.Database.WriteAsync(unit, async (c, t) =>
        {
            unit.OnCommitted(() => ran.Add(text));
            return await c.ExecuteAsync("INSERT INTO notes (text) VALUES (@text)", new { text }, t);
        }, CancellationToken.None);

    private async Task<List<string>> NotesAsync() =>
        (await _db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT text FROM notes ORDER BY text"), CancellationToken.None)).ToList();
}
