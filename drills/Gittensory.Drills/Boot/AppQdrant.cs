using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Boot;

/// <summary>
/// The scratch Qdrant the booted application is given: restored from the drill's snapshot for the application alone (the Qdrant
/// leg restores the same snapshot again, independently, for its own checks).
/// </summary>
/// <param name="Server">The running Qdrant (a container of this run, or the tests' in-process stand-in).</param>
/// <param name="Snapshot">The snapshot it was restored from, relative to the backups root.</param>
/// <param name="Collection">The collection whose vector size the application is given.</param>
/// <param name="Dimension">That vector size, read from the snapshot offline (<c>QDRANT_DIM</c>).</param>
internal sealed record AppQdrant(ScratchQdrant Server, string Snapshot, string Collection, long Dimension)
{
    /// <summary>The alias the scratch Qdrant has on the application's internal network (image form).</summary>
    public const string Alias = "qdrant";

    /// <summary><c>QDRANT_URL</c> as the application reaches it: by alias on the internal network, or on its loopback port.</summary>
    public string UrlFor(bool hostCommand) =>
        hostCommand ? Server.Url.GetLeftPart(UriPartial.Authority) : $"http://{Alias}:{ScratchQdrant.HttpPort}";
}
