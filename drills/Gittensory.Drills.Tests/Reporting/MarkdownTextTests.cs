using FluentAssertions;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;")]
    [InlineData("_selfhost_*", "\\_selfhost\\_\\*")]
    [InlineData("a|b\rc\nd", "a\\|b\\rc\\nd")]
    [InlineData("[x](http://e) & `y` ~z~ !", "\\[x\\](http://e) &amp; \\`y\\` \\~z\\~ \\!")]
    [InlineData("plain table_name 42", "plain table\\_name 42")]
    public void DataIsEscapedToShowAsItselfOnOneLine(string text, string markdown)
    {
        MarkdownText.Inline(text).Should().Be(markdown);
    }

    [Theory]
    [InlineData("postgres/x.dump", "`postgres/x.dump`")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`edge", "`` `edge ``")]
    [InlineData("two\nlines", "`two\\nlines`")]
    public void CodeSpansAreFencedLongerThanTheirBackticks(string text, string markdown)
    {
        MarkdownText.Code(text).Should().Be(markdown);
    }
}
