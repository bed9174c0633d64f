using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Worker.Hosting;

/// <summary>The "Links" configuration section: which listen links every track carries, in order.</summary>
public sealed record LinksOptions
{
    public const string Section = "Links";

    /// <summary>lastfm, spotify, youtube-music, apple-music (all four when unset); the first that plays music is the ▶ button.</summary>
    public IReadOnlyList<string>? Services { get; init; }

    public IReadOnlyList<string> Effective => Services ?? ListenLinker.Known;
}

public static class LinksRegistration
{
    /// <summary>Binds Links:Services (an unknown name fails at start with the list of known ones) and shares one linker.</summary>
    public static IServiceCollection AddListenLinks(this IServiceCollection services)
    {
        services.AddOptions<LinksOptions>().BindConfiguration(LinksOptions.Section)
            .Validate(o => o.Effective.All(ListenLinker.IsKnown),
                $"Links:Services names an unknown service; known: {string.Join(", ", ListenLinker.Known)}.")
            .ValidateOnStart();
        services.AddSingleton(sp => new ListenLinker(sp.GetRequiredService<IOptions<LinksOptions>>().Value.Effective));
        return services;
    }
}
