using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>The app stand-in tests that share one Postgres and one Redis (<see cref="StandInContainersFixture"/>); they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class StandInCollection : ICollectionFixture<StandInContainersFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "App stand-in against Postgres and Redis";
}
