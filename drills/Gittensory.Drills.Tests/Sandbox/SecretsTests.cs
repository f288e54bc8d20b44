using FluentAssertions;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

public sealed class SecretsTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Port=5432;Password=s3cr3t-value;Username=drill", "Host=127.0.0.1;Port=5432;Password=***;Username=drill")]
    [InlineData("postgres://loopover:s3cr3t-value@db:5432/loopover", "postgres://loopover:***@db:5432/loopover")]
    public void PasswordsAreRedactedFromConnectionStringsAndUrls(string connection, string redacted)
    {
        Secrets.Redact(connection).Should().Be(redacted);
    }

    [Fact]
    public void GeneratedSecretsAreLongAndDifferent()
    {
        var a = Secrets.NewSecret();
        var b = Secrets.NewSecret();

        a.Should().HaveLength(48).And.NotBe(b);
    }

    [Theory]
    [InlineData("pg_restore (PostgreSQL) 16.4", 16)]
    [InlineData("15.18 (Debian 15.18-0+deb12u1)", 15)]
    [InlineData("9.6.24", 9)]
    public void MajorVersionsAreReadFromVersionStrings(string text, int major)
    {
        PgVersion.Major(text).Should().Be(major);
    }
}
