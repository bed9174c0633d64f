using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using SpotMirror.Worker.ConsoleChat;

namespace SpotMirror.Http.Tests.Web;

/// <summary>
/// The worker's real host with the HTTP API (and the web app) and a console chat on test-driven input and
/// output, plus one headless browser, shared by the tests of a class.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public ConsoleDriver Console { get; } = new();
    public ApiHost Host { get; private set; } = null!;
    public string BaseUrl => Host.Client.BaseAddress!.ToString().TrimEnd('/');
    private Browser? _browser;

    /// <summary>The shared browser, started on first use (so a skipped class never launches one).</summary>
    public Browser Browser => _browser ??= new Browser();

    public async Task InitializeAsync()
    {
        Host = await ApiHost.StartAsync(services =>
        {
            services.AddSingleton(new ConsoleChatSettings("ana", Console.Input, Console.Output, Interactive: false));
            services.AddHostedService<ConsoleChatService>();
        });
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        Console.Close();
        await Host.DisposeAsync();
        Console.Dispose();
    }

    /// <summary>Says /web in the console as this person and returns the link it printed.</summary>
    public async Task<string> LinkForAsync(string person)
    {
        await Console.SayAsync($":as {person}", line => line.Contains($"now speaking as {person}", StringComparison.Ordinal));
        var printed = await Console.SayAsync("/web", line => line.Contains("/web/signin?token=", StringComparison.Ordinal));
        return printed.Single(line => line.Contains("/web/signin?token=", StringComparison.Ordinal)).Trim();
    }

    /// <summary>Signs the browser in as this person, through the console's /web link.</summary>
    public async Task SignInAsync(string person)
    {
        Browser.Driver.Navigate().GoToUrl(await LinkForAsync(person));
        Browser.Wait(By.CssSelector(".who-name"), e => e.Text.Contains(person, StringComparison.Ordinal));
    }

    /// <summary>Reads one number from the database file the host writes.</summary>
    public double? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Host.Db.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? null : Convert.ToDouble(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Host.Db.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
