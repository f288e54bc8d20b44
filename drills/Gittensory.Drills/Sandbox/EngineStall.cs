namespace Gittensory.Drills.Sandbox;

/// <summary>
/// An engine that answers <c>/version</c> and then stops answering: the bound on the calls that follow, and the message that
/// names the engine and what to do, instead of a bare "TaskCanceledException: The operation was canceled." minutes later.
/// </summary>
internal static class EngineStall
{
    /// <summary>How long creating the drill's network may take (60 s); a healthy engine needs well under a second.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The message when <paramref name="what"/> got no answer from the engine within <paramref name="bound"/>.</summary>
    public static string Message(string what, TimeSpan bound) =>
        $"The container engine at '{ContainerEngine.DefaultEndpoint()}' answered /version, but {what} got no answer within {bound.TotalSeconds:0} s: " +
        "the engine is hung or overloaded. Check that 'docker info' and 'docker network ls' answer promptly (restart the engine, dockerd, if they hang), then drill again.";

    /// <summary>The message when a leg stopped on a call that timed out (<paramref name="e"/>), most often the engine's.</summary>
    public static string LegMessage(string store, OperationCanceledException e) =>
        $"The {store} leg stopped: a call got no answer in time ({e.GetType().Name}: {e.Message}). The usual cause is the container engine at " +
        $"'{ContainerEngine.DefaultEndpoint()}' answering /version and then hanging: check that 'docker info' answers promptly (restart the engine, " +
        "dockerd, if it does not), then drill again.";
}
