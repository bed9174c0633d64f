using ScottPlot;
using SkiaSharp;
using SpotMirror.UseCases;

namespace SpotMirror.Chat.Pictures;

/// <summary>
/// Draws a person's taste as one PNG: their liked tracks on the valence-arousal plane among the named
/// moods, their top tags and artists, and their reactions over time. The chat's /profile attaches it
/// and the web profile page shows the very same image.
/// </summary>
public static class TastePicture
{
    public const int Width = 1200;
    public const int Height = 900;
    private const string Ink = "#1f2430";
    private const string Accent = "#6d28d9";
    private const string Warm = "#db2777";
    private const string Muted = "#9aa0ad";

    public static byte[] Render(TasteData taste, string who)
    {
        ArgumentNullException.ThrowIfNull(taste);
        var half = (Width / 2, Height / 2);
        var panels = new[]
        {
            Panel(Plane(taste, who), half),
            Panel(Bars(taste.Tags, "Top tags", Accent), half),
            Panel(Bars(taste.Artists, "Top artists", Warm), half),
            Panel(Timeline(taste), half),
        };
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < panels.Length; i++)
        {
            using var bitmap = SKBitmap.Decode(panels[i]);
            surface.Canvas.DrawBitmap(bitmap, i % 2 * half.Item1, i / 2 * half.Item2);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Panel(Plot plot, (int Width, int Height) size)
    {
        using (plot)
        {
            return plot.GetImageBytes(size.Width, size.Height, ImageFormat.Png);
        }
    }

    private static Plot Plane(TasteData taste, string who)
    {
        var plot = NewPlot($"{who}: moods (valence × arousal)");
        foreach (var mood in taste.Moods)
        {
            var circle = plot.Add.Circle(mood.Center.Valence, mood.Center.Arousal, mood.Radius);
            circle.LineColor = Color.FromHex(Muted).WithAlpha(0.5);
            circle.FillColor = Color.FromHex(Muted).WithAlpha(0.08);
            var label = plot.Add.Text(mood.Name, mood.Center.Valence, mood.Center.Arousal);
            label.LabelFontColor = Color.FromHex(Muted);
            label.LabelFontSize = 13;
            label.LabelAlignment = Alignment.MiddleCenter;
        }
        var top = taste.Liked.Count == 0 ? 1 : taste.Liked.Max(t => t.Weight);
        foreach (var track in taste.Liked)
        {
            var marker = plot.Add.Marker(track.Point.Valence, track.Point.Arousal);
            marker.Color = Color.FromHex(Accent).WithAlpha(0.55);
            marker.Size = (float)(6 + (12 * Math.Clamp(track.Weight / top, 0, 1)));
        }
        if (taste.Centre is { } centre)
        {
            var you = plot.Add.Marker(centre.Valence, centre.Arousal, MarkerShape.FilledDiamond, 18, Color.FromHex(Warm));
            you.LegendText = "your centre";
        }
        plot.Axes.SetLimits(-1.15, 1.15, -1.15, 1.15);
        plot.XLabel("valence: sad → happy");
        plot.YLabel("arousal: calm → excited");
        return plot;
    }

    private static Plot Bars(IReadOnlyList<(string Name, double Weight)> named, string title, string color)
    {
        var plot = NewPlot(title);
        if (named.Count == 0)
        {
            Empty(plot, "nothing yet");
            return plot;
        }
        var shown = named.Take(TasteData.TopShown).Reverse().ToList();
        var bars = shown.Select((n, i) => new Bar { Position = i, Value = n.Weight, FillColor = Color.FromHex(color), Orientation = Orientation.Horizontal, Size = 0.7 }).ToList();
        plot.Add.Bars(bars);
        // A few names keep the bars' thickness they would have among a full list.
        var rows = Math.Max(shown.Count, 5);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, shown.Count).Select(i => (double)i)], [.. shown.Select(n => Short(n.Name))]);
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.SetLimits(0, named.Max(n => n.Weight) * 1.1, shown.Count - rows - 0.5, shown.Count - 0.5);
        plot.XLabel("weight");
        return plot;
    }

    private static Plot Timeline(TasteData taste)
    {
        var plot = NewPlot("Reactions over time");
        if (taste.Days.Count == 0)
        {
            Empty(plot, "no reactions yet");
            return plot;
        }
        var days = taste.Days.Select(d => d.Day.ToDateTime(TimeOnly.MinValue)).ToList();
        // A single day still draws a line: it starts from nothing the day before.
        days.Insert(0, days[0].AddDays(-1));
        var positive = Running(taste.Days.Select(d => d.Positive));
        var negative = Running(taste.Days.Select(d => d.Negative));
        var up = plot.Add.Scatter(days.ToArray(), positive);
        up.Color = Color.FromHex(Accent);
        up.LineWidth = 3;
        up.LegendText = "likes and loves";
        var down = plot.Add.Scatter(days.ToArray(), negative);
        down.Color = Color.FromHex(Warm);
        down.LineWidth = 3;
        down.LegendText = "dislikes and skips";
        plot.Axes.DateTimeTicksBottom();
        plot.ShowLegend(Alignment.UpperLeft);
        plot.YLabel("reactions that count");
        return plot;

        static double[] Running(IEnumerable<int> counts)
        {
            var total = 0;
            return [0, .. counts.Select(c => (double)(total += c))];
        }
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Title.Label.ForeColor = Color.FromHex(Ink);
        plot.Grid.MajorLineColor = Color.FromHex("#eceef3");
        return plot;
    }

    private static void Empty(Plot plot, string text)
    {
        var label = plot.Add.Text(text, 0, 0);
        label.LabelFontColor = Color.FromHex(Muted);
        label.LabelFontSize = 18;
        label.LabelAlignment = Alignment.MiddleCenter;
        plot.Axes.SetLimits(-1, 1, -1, 1);
        plot.HideGrid();
        plot.Axes.Frameless();
    }

    private static string Short(string name) => name.Length > 22 ? name[..21] + "…" : name;
}
