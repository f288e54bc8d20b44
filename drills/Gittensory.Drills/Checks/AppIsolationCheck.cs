using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Checks;

/// <summary>
/// The booted application can reach the scratch services and nothing else: every network its container is attached to is
/// marked <c>Internal</c> by the engine. Proved from the engine's own description, never by sending a packet anywhere; on
/// Docker 20.10 an internal network still lists a gateway and its containers a default route, which prove nothing either way.
/// </summary>
public static class AppIsolationCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "app.isolation";

    /// <summary>What the check proves.</summary>
    public const string Title = "The application can reach only the scratch services";

    private const string Expected = "every network the application container is attached to is marked Internal by the engine (GET /containers/{id}/json, then GET /networks/{id} for each)";

    /// <summary>The check when the application was not created, with why.</summary>
    public static CheckResult NotRun(string reason) => CheckResult.NotApplicable(Name, Title, reason);

    /// <summary>Judges the networks of <paramref name="container"/>, as the engine describes them.</summary>
    public static CheckResult Evaluate(string container, IReadOnlyList<AppNetwork> networks)
    {
        var details = networks.Select(n => $"{n.Name} ({n.Id[..Math.Min(12, n.Id.Length)]}): Internal={(n.Internal ? "true" : "false")}, driver {n.Driver ?? "?"}").ToList();
        var open = networks.Where(n => !n.Internal).ToList();
        if (networks.Count > 0 && open.Count == 0)
        {
            return CheckResult.Pass(Name, Title, Expected,
                $"container {container} is attached only to internal networks: {string.Join(", ", networks.Select(n => $"{n.Name} (Internal=true)"))}; " +
                "read from the engine's own description, no packet was sent anywhere to test it", details);
        }

        return CheckResult.Fail(Name, Title, Expected,
            $"container {container} is attached to {open.Count} network{(open.Count == 1 ? "" : "s")} the engine does not mark internal: " +
            $"{string.Join(", ", open.Select(n => $"{n.Name} (Internal=false, driver {n.Driver ?? "?"})"))}; it could reach beyond the scratch services, so it was not started",
            details);
    }

    /// <summary>A host command cannot be isolated by the engine: a warning that says so, never a pass.</summary>
    public static CheckResult HostCommand(string command, IEnumerable<string> inherited) =>
        new(Name, Title, Expected,
            $"not isolated: the application ran as a host command ({command}), which the container engine cannot isolate, so it can reach whatever this host can. " +
            $"It was given only the scratch services' loopback addresses, and of this host's environment only {string.Join(", ", inherited)}. Boot the image form (-AppImage) to prove isolation",
            CheckVerdict.Warning, []);
}
