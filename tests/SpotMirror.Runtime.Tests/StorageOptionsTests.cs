using SpotMirror.Runtime;

namespace SpotMirror.Runtime.Tests;

public sealed class StorageOptionsTests
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Theory]
    [InlineData("~/.local/share/SpotMirror/spotmirror.db", ".local/share/SpotMirror/spotmirror.db")]
    [InlineData("  ~/x.db ", "x.db")]
    public void A_leading_tilde_means_the_home_folder(string configured, string underHome) =>
        Assert.Equal(Path.Combine(Home, underHome), StorageOptions.Resolve(configured));

    [Fact]
    public void Other_paths_are_made_absolute_and_left_alone() =>
        Assert.Equal(Path.GetFullPath("data/~x.db"), StorageOptions.Resolve("data/~x.db"));

    [Fact]
    public void The_default_lives_in_the_users_data_folder() =>
        Assert.EndsWith(Path.Combine("SpotMirror", "spotmirror.db"), StorageOptions.DefaultPath, StringComparison.Ordinal);
}
