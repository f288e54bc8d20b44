namespace Gittensory.Drills.Tests.Stores.Sqlite;

/// <summary>A clock that always says <paramref name="now"/>, for judging backup ages deterministically.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
