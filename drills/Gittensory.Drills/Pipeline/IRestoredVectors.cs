using Gittensory.Drills.Backups;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Pipeline;

/// <summary>A restored, measured Qdrant as later stages see it: the cross-store checks compare it with the restored database, and the application is given it.</summary>
internal interface IRestoredVectors
{
    /// <summary>The snapshot it was restored from.</summary>
    BackupFile Backup { get; }

    /// <summary>The running scratch Qdrant.</summary>
    ScratchQdrant Server { get; }

    /// <summary>The collection the profile names, as restored.</summary>
    QdrantCollectionInfo Collection { get; }

    /// <summary>A sample of its points (at most the profile's sample size), read before anything could change it.</summary>
    IReadOnlyList<QdrantPoint> Sample { get; }
}
