using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>The tests that share one Postgres container and its dumps (<see cref="PgDumpFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class PgDumpCollection : ICollectionFixture<PgDumpFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Real pg_dump archives";
}
