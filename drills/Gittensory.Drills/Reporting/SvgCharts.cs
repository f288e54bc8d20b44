using System.Globalization;
using System.Xml.Linq;

namespace Gittensory.Drills.Reporting;

/// <summary>The HTML report's charts as inline SVG (no script), built as XML so that every label from data is escaped.</summary>
public static class SvgCharts
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const int Width = 760;
    private const int LabelWidth = 230;
    private const int RowHeight = 22;

    /// <summary>One bar: a label, where it starts and how long it is (same unit as the axis), a CSS class, and the value shown beside it.</summary>
    public sealed record Bar(string Label, double Start, double Length, string Css, string Value);

    /// <summary>Horizontal bars on one axis from 0 to the longest bar's end; <paramref name="title"/> names the chart.</summary>
    public static XElement Bars(string title, IReadOnlyList<Bar> bars, string axisUnit)
    {
        var max = Math.Max(bars.Count == 0 ? 0 : bars.Max(b => b.Start + b.Length), 1e-9);
        var plot = Width - LabelWidth - 90;
        var height = bars.Count * RowHeight + 34;
        var svg = Root(title, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = 8 + i * RowHeight;
            svg.Add(
                Text(LabelWidth - 6, y + 14, bar.Label, "end"),
                new XElement(Svg + "rect",
                    new XAttribute("class", bar.Css),
                    new XAttribute("x", Num(LabelWidth + bar.Start / max * plot)),
                    new XAttribute("y", y + 3),
                    new XAttribute("width", Num(Math.Max(bar.Length / max * plot, 1))),
                    new XAttribute("height", RowHeight - 7),
                    new XElement(Svg + "title", $"{bar.Label}: {bar.Value}")),
                Text(LabelWidth + (bar.Start + bar.Length) / max * plot + 4, y + 14, bar.Value, "start"));
        }

        var axisY = 8 + bars.Count * RowHeight + 4;
        svg.Add(
            new XElement(Svg + "line", new XAttribute("class", "axis"), new XAttribute("x1", LabelWidth), new XAttribute("x2", LabelWidth + plot), new XAttribute("y1", axisY), new XAttribute("y2", axisY)),
            Text(LabelWidth, axisY + 16, "0", "start"),
            Text(LabelWidth + plot, axisY + 16, $"{Num(max)} {axisUnit}", "end"));
        return svg;
    }

    /// <summary>One line per series over the drills of the trend (oldest left); a point per drill that has a value.</summary>
    public static XElement Lines(string title, IReadOnlyList<string> drills, IReadOnlyList<(string Name, string Css, IReadOnlyList<double?> Values)> series, string unit)
    {
        const int height = 190;
        const int left = 70;
        const int top = 12;
        const int plotHeight = 120;
        var plotWidth = Width - left - 170;
        var values = series.SelectMany(s => s.Values).OfType<double>().ToList();
        var max = values.Count == 0 ? 1 : Math.Max(values.Max(), 1e-9);
        var min = values.Count == 0 ? 0 : Math.Min(values.Min(), 0);
        var svg = Root(title, height);
        double X(int i) => left + (drills.Count <= 1 ? plotWidth / 2.0 : i * plotWidth / (double)(drills.Count - 1));
        double Y(double v) => top + plotHeight - (v - min) / (max - min) * plotHeight;
        svg.Add(
            new XElement(Svg + "line", new XAttribute("class", "axis"), new XAttribute("x1", left), new XAttribute("x2", left + plotWidth), new XAttribute("y1", top + plotHeight), new XAttribute("y2", top + plotHeight)),
            new XElement(Svg + "line", new XAttribute("class", "axis"), new XAttribute("x1", left), new XAttribute("x2", left), new XAttribute("y1", top), new XAttribute("y2", top + plotHeight)),
            Text(left - 6, top + 10, Num(max), "end"),
            Text(left - 6, top + plotHeight, Num(min), "end"),
            Text(left, top + plotHeight + 18, drills.Count == 0 ? "" : drills[0], "start"),
            Text(left + plotWidth, top + plotHeight + 18, drills.Count == 0 ? "" : drills[^1], "end"),
            Text(left + plotWidth / 2.0, top + plotHeight + 36, $"last {drills.Count} drills, oldest left ({unit})", "middle"));
        for (var s = 0; s < series.Count; s++)
        {
            var (name, css, points) = series[s];
            var at = points.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => (X: X(p.i), Y: Y(p.v!.Value), p.v, p.i)).ToList();
            if (at.Count > 1)
            {
                svg.Add(new XElement(Svg + "polyline", new XAttribute("class", "line " + css), new XAttribute("fill", "none"),
                    new XAttribute("points", string.Join(' ', at.Select(p => $"{Num(p.X)},{Num(p.Y)}")))));
            }

            foreach (var point in at)
            {
                svg.Add(new XElement(Svg + "circle", new XAttribute("class", "dot " + css), new XAttribute("cx", Num(point.X)), new XAttribute("cy", Num(point.Y)), new XAttribute("r", 3.5),
                    new XElement(Svg + "title", $"{name}, {drills[point.i]}: {Num(point.v!.Value)} {unit}")));
            }

            var legendY = top + 12 + s * 18;
            svg.Add(
                new XElement(Svg + "rect", new XAttribute("class", css), new XAttribute("x", left + plotWidth + 14), new XAttribute("y", legendY - 9), new XAttribute("width", 10), new XAttribute("height", 10)),
                Text(left + plotWidth + 30, legendY, name, "start"));
        }

        return svg;
    }

    private static XElement Root(string title, int height) =>
        new(Svg + "svg",
            new XAttribute("viewBox", $"0 0 {Width} {height}"),
            new XAttribute("width", Width),
            new XAttribute("height", height),
            new XAttribute("role", "img"),
            new XAttribute("aria-label", title),
            new XElement(Svg + "title", title));

    private static XElement Text(double x, double y, string text, string anchor) =>
        new(Svg + "text", new XAttribute("x", Num(x)), new XAttribute("y", Num(y)), new XAttribute("text-anchor", anchor), text);

    private static string Num(double value) => Math.Round(value, value >= 100 ? 0 : 2).ToString(CultureInfo.InvariantCulture);
}
