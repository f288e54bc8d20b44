namespace Gittensory.Drills.Sandbox;

/// <summary>The engine has no image of that name (the drill does not pull it: there may be no registry, and the operator chooses the image under test).</summary>
internal sealed class ContainerImageMissingException(string image, string engineMessage)
    : Exception($"The container engine has no image '{image}' ({engineMessage}).")
{
    /// <summary>The image asked for.</summary>
    public string Image { get; } = image;
}
