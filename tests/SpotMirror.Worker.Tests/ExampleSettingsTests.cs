using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Worker.Tests;

/// <summary>
/// appsettings.example.json says "the values below are the defaults": a default changed in code (a tuning round)
/// and not in the example would tell an operator the wrong thing, so every recommender key it names is checked.
/// </summary>
public sealed class ExampleSettingsTests
{
    [Fact]
    public void Every_recommender_value_in_the_example_file_is_the_default_the_code_uses()
    {
        var example = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "appsettings.example.json")).Build();
        var defaults = new HybridOptions();
        var named = example.GetSection("Recommender").GetChildren().ToList();

        var checkedKeys = 0;
        foreach (var key in named)
        {
            var property = typeof(HybridOptions).GetProperty(key.Key, BindingFlags.Public | BindingFlags.Instance);
            if (property is null) continue;
            var expected = Convert.ToDouble(property.GetValue(defaults), CultureInfo.InvariantCulture);
            var stated = double.Parse(key.Value!, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(expected - stated) < 1e-6, $"Recommender:{key.Key} is {stated} in appsettings.example.json but {expected} in HybridOptions");
            checkedKeys++;
        }

        Assert.True(checkedKeys >= 10, $"only {checkedKeys} recommender keys were found to check");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SpotMirror.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException("SpotMirror.sln was not found above the test's folder");
    }
}
