using FluentAssertions;
using Gittensory.Drills.Safety;
using Gittensory.Drills.Sandbox;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>Redaction holds for any character in a password, in URL and keyword=value forms, by pattern alone.</summary>
public sealed class RedactionTests
{
    [Theory]
    [MemberData(nameof(NastyPasswords.Data), MemberType = typeof(NastyPasswords))]
    public void APasswordInAConnectionStringIsRedactedWhateverItHolds(string core)
    {
        var password = NastyPasswords.Make(core);
        var connection = new NpgsqlConnectionStringBuilder { Host = "db", Username = "loopover", Password = password, Database = "loopover" }.ConnectionString;

        var redacted = Secrets.Redact($"could not connect ({connection}) and gave up");

        redacted.Should().NotContain(password[..12]).And.NotContain(password[^10..]).And.Contain("Password=***").And.EndWith(") and gave up");
    }

    [Theory]
    [MemberData(nameof(NastyPasswords.Data), MemberType = typeof(NastyPasswords))]
    public void APasswordInAnEncodedUrlIsRedactedWhateverItHolds(string core)
    {
        var password = NastyPasswords.Make(core);
        var url = $"postgres://loopover:{Uri.EscapeDataString(password)}@db:5432/loopover";

        var redacted = Secrets.Redact($"live {url} given");

        redacted.Should().Be("live postgres://loopover:***@db:5432/loopover given");
    }

    [Theory]
    [MemberData(nameof(NastyPasswords.Data), MemberType = typeof(NastyPasswords))]
    public void APasswordInARawUrlIsRedactedOnceTheUrlWasGivenToTheDrill(string core)
    {
        // A URL written by hand, its password not encoded: '@', '/', ' ' and quotes stay raw. Once the drill has it (the
        // options register it), every form of the password is redacted by value, also where it appears on its own.
        var password = NastyPasswords.Make(core);
        var url = $"postgres://loopover:{password}@db:5432/loopover";
        PostgresUrl.RegisterPassword(url);

        Secrets.Redact($"live {url} given").Should().NotContain(password[..12]).And.NotContain(password[^10..]);
        Secrets.Redact($"the server said: password {password} is wrong").Should().Be("the server said: password *** is wrong");
        Secrets.Redact($"encoded {Uri.EscapeDataString(password)}.").Should().Be("encoded ***.");
    }
}
