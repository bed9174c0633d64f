using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace SpotMirror.Http.Tests.Web;

/// <summary>
/// Headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs), one per test class.
/// The flags keep it off the network: no sync, no component updates, no first-run pages.
/// </summary>
public sealed class Browser : IDisposable
{
    public static readonly string? ChromiumPath = Find("CHROMIUM_PATH", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    public static readonly string? DriverPath = Find("CHROMEDRIVER_PATH", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private readonly string _profile = Path.Combine(Path.GetTempPath(), "spotmirror-chromium", Guid.NewGuid().ToString("N"));

    public Browser()
    {
        if (ChromiumPath is null || DriverPath is null) throw new InvalidOperationException(BrowserFactAttribute.Missing);
        Downloads = Path.Combine(_profile, "downloads");
        Directory.CreateDirectory(Downloads);
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900", $"--user-data-dir={_profile}");
        options.AddUserProfilePreference("download.default_directory", Downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }
    public string Downloads { get; }

    public IWebElement Wait(By by, Func<IWebElement, bool>? until = null)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(15));
        // A page being replaced by the next one leaves stale elements behind: look again.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(d => d.FindElements(by).FirstOrDefault(e => until?.Invoke(e) ?? true));
    }

    public void WaitFor(Func<bool> condition, string what)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(15)) { Message = what };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        wait.Until(_ => condition());
    }

    /// <summary>Saves the page as a PNG at the given width, into the test output's screenshots folder; returns its path.</summary>
    public string Screenshot(string name, int width, int height)
    {
        Driver.Manage().Window.Size = new System.Drawing.Size(width, height);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.png");
        Driver.GetScreenshot().SaveAsFile(path);
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, 900);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may hold a lock file for a moment after quitting; the temp folder is cleaned by the OS.
        }
    }

    private static string? Find(string variable, params string[] candidates) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set && File.Exists(set) ? set : candidates.FirstOrDefault(File.Exists);
}

/// <summary>A browser test: skipped, saying why, only when no Chromium or chromedriver can be found on this machine.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Missing = "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver; .ci/run does it), so the browser tests cannot run here.";

    public BrowserFactAttribute()
    {
        if (Browser.ChromiumPath is null || Browser.DriverPath is null) Skip = Missing;
    }
}
