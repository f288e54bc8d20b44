using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>Passwords made of every character that ends a value somewhere: URL delimiters, connection-string delimiters, percent escapes, quotes, spaces, unicode.</summary>
internal static class NastyPasswords
{
    /// <summary>The characters each case centres on; each password is made unique per use by <see cref="Make"/>.</summary>
    public static readonly string[] Cores =
    [
        ";", "%3B", "@", "/", ":", "%", "\"", "'", " ", "ünï©ødé", "=", ";Password=x;", "p@ss:w/rd;%3B\"' é",
    ];

    /// <summary>The xUnit data: one row per core.</summary>
    public static TheoryData<string> Data => [.. Cores];

    /// <summary>A password holding <paramref name="core"/> between two random parts, so no other test's secret can hide a leak.</summary>
    public static string Make(string core) => $"Nx{Guid.NewGuid():N}"[..10] + core + $"{Guid.NewGuid():N}"[..8] + "zQ";
}
