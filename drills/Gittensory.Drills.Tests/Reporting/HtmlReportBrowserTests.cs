using System.Text.Json.Nodes;
using FluentAssertions;
using Gittensory.Drills.Checks;
using StbImageSharp;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>report.html of real drills opened in headless Chromium at 1280 by 800: it renders, logs no error, loads nothing, and a failed check is on the first screen.</summary>
public sealed class HtmlReportBrowserTests : IDisposable
{
    private const int Width = 1280;
    private const int Height = 800;

    // What the test reads from the page's own layout, from outside it (the page itself runs no script).
    private const string Layout =
        """
        (() => {
          const first = document.querySelector('#attention li.check.failed');
          const box = first && first.getBoundingClientRect();
          return {
            sections: [...document.body.children].map(e => e.id || e.tagName.toLowerCase()),
            viewport: [window.innerWidth, window.innerHeight],
            failed: first && { check: first.dataset.check, top: box.top, bottom: box.bottom, text: first.innerText },
            active: document.querySelectorAll('script, img, iframe, object, embed, link, a[href], [src], [onerror]').length,
            svgs: document.querySelectorAll('section#charts svg').length,
            text: document.body.innerText,
            stores: document.querySelector('#stores').innerText,
          };
        })()
        """;

    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-html-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task AFailedDrillsReportRendersWithNoErrorsAndItsFirstFailedCheckIsOnTheFirstScreen()
    {
        // Given a real drill that passed, then one that failed (so the trend has two drills)
        var ct = TestContext.Current.CancellationToken;
        var chromium = ReportTools.Require("chromium");
        await SqliteDrills.PassingAsync(reports, ct: ct);
        var failed = await SqliteDrills.FailingAsync(reports, ct: ct);
        var firstFailure = failed.Report.AllChecks.First(c => c.Verdict == CheckVerdict.Failed);
        var html = Path.Combine(failed.ReportFolder, "report.html");

        // When Chromium opens its report.html at 1280 by 800
        await using var browser = await HeadlessChromium.StartAsync(chromium, Width, Height, ct);
        await browser.OpenAsync(html, ct);
        var page = (await browser.EvaluateAsync(Layout, ct))!;
        var png = await browser.ScreenshotAsync(ct);

        // Then nothing was logged as an error and nothing but the file itself was requested
        browser.Errors.Should().BeEmpty();
        browser.Requests.Should().OnlyContain(url => url == new Uri(html).AbsoluteUri);

        // And the verdict comes first, then the failures; the first failed check, with what to do, lies within the first screen
        page["viewport"]!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(Width, Height);
        page["sections"]!.AsArray().Select(s => (string?)s).Should().StartWith(["verdict", "attention", "charts", "change", "stores"]);
        var box = page["failed"]!;
        ((string?)box["check"]).Should().Be(firstFailure.Name);
        box["top"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
        box["bottom"]!.GetValue<double>().Should().BeLessThanOrEqualTo(Height);
        ((string?)box["text"]).Should().Contain("FAIL").And.Contain(firstFailure.Found).And.Contain("What to do:");
        page["active"]!.GetValue<int>().Should().Be(0);
        page["svgs"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(3, "phases, archived and restored rows, and the trend are charted");

        // And the screenshot is the page: not blank, the red verdict across its top, the failure's red-tinted box where the layout says
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        (image.Width, image.Height).Should().Be((Width, Height));
        Colours(image, 0, Height).Should().BeGreaterThan(64, "a rendered page of text and colours has many shades; a blank one has one");
        Count(image, 0, 120, (179, 38, 30)).Should().BeGreaterThan(Width * 20, "the failed verdict's banner is red (#b3261e)");
        Count(image, (int)box["top"]!.GetValue<double>(), (int)box["bottom"]!.GetValue<double>(), (253, 236, 234))
            .Should().BeGreaterThan(Width * 10, "the failed check's box (#fdecea) is painted where the layout puts it");
    }

    [Fact]
    public async Task MarkupAndLinksInTheDataAreShownAsTextAndNeitherRunNorLoad()
    {
        // Given a real SQLite backup whose tables are named with markup, a Markdown image and link, in a backups root named with an img tag
        var ct = TestContext.Current.CancellationToken;
        var chromium = ReportTools.Require("chromium");
        var crafted = CraftedSqliteBackup.Create(CraftedSqliteBackup.HostileTableNames);
        var root = Path.Combine(Path.GetDirectoryName(crafted)!, Path.GetFileName(crafted) + "-<img src=x onerror=console.error(1)>");
        Directory.Move(crafted, root);
        try
        {
            // When it is drilled and its report opened
            var outcome = await SqliteDrills.OfRootAsync(root, reports, ct: ct);
            var html = Path.Combine(outcome.ReportFolder, "report.html");
            await using var browser = await HeadlessChromium.StartAsync(chromium, Width, Height, ct);
            await browser.OpenAsync(html, ct);
            var page = (await browser.EvaluateAsync(Layout, ct))!;

            // Then no element came from the data, nothing ran, nothing loaded, and every name reads as it is
            browser.Errors.Should().BeEmpty();
            browser.Requests.Should().OnlyContain(url => url == new Uri(html).AbsoluteUri);
            page["active"]!.GetValue<int>().Should().Be(0);
            var text = (string)page["text"]!;
            text.Should().Contain("<img src=x onerror=console.error(1)>");
            var stores = (string)page["stores"]!;
            foreach (var name in CraftedSqliteBackup.HostileTableNames.Take(3))
            {
                text.Should().Contain(name);
                stores.Should().Contain(name, "the store's table of rows shows each name as it is (Markdown rendered, links and images not made)");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Colours(ImageResult image, int top, int bottom)
    {
        var seen = new HashSet<int>();
        for (var y = top; y < bottom; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = (y * image.Width + x) * 3;
                seen.Add(image.Data[i] << 16 | image.Data[i + 1] << 8 | image.Data[i + 2]);
            }
        }

        return seen.Count;
    }

    private static int Count(ImageResult image, int top, int bottom, (byte R, byte G, byte B) colour)
    {
        var count = 0;
        for (var y = Math.Max(top, 0); y < Math.Min(bottom, image.Height); y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = (y * image.Width + x) * 3;
                if (image.Data[i] == colour.R && image.Data[i + 1] == colour.G && image.Data[i + 2] == colour.B)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
