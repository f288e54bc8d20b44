using System.Text.RegularExpressions;
using FluentAssertions;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>The exact shape of LoopOver's <c>/ready</c> body: <c>{"ok":bool,"checks":{name:bool,...},"durationsMs":{name:number,...}}</c>.</summary>
public static class ReadyBody
{
    /// <summary>Asserts <paramref name="body"/> is exactly that shape, with these checks in this order and these values, and a number of ms for each.</summary>
    public static void ShouldBe(string body, bool ok, params (string Name, bool Passed)[] checks)
    {
        static string Bool(bool b) => b ? "true" : "false";
        var pattern = "^" + Regex.Escape($"{{\"ok\":{Bool(ok)},\"checks\":{{")
            + string.Join(",", checks.Select(c => Regex.Escape($"\"{c.Name}\":{Bool(c.Passed)}")))
            + Regex.Escape("},\"durationsMs\":{")
            + string.Join(",", checks.Select(c => Regex.Escape($"\"{c.Name}\":") + @"\d+(\.\d+)?"))
            + Regex.Escape("}}") + "$";
        body.Should().MatchRegex(pattern, "/ready must answer exactly {{\"ok\":bool,\"checks\":{{...}},\"durationsMs\":{{...}}}}");
    }
}
