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

    /// <summary>
    /// A host command run in the network namespace of <paramref name="container"/>: passes when every network of that container is
    /// internal (the same proof as the image form's); fails, and it is not started, otherwise.
    /// </summary>
    public static CheckResult HostCommandInNamespace(string command, string container, IReadOnlyList<AppNetwork> networks)
    {
        var judged = Evaluate(container, networks);
        var where = $"the host command ({command}) ran in the network namespace of container {container} (nsenter --net)";
        return judged.Verdict == CheckVerdict.Passed
            ? judged with
            {
                Found = $"{where}, which is attached only to internal networks: {string.Join(", ", networks.Select(n => $"{n.Name} (Internal=true)"))}; " +
                        "it reached the scratch services by their addresses there, and neither this host's network nor its loopback; read from the engine's own description, " +
                        "no packet was sent anywhere to test it (its files and processes are still this host's)",
            }
            : judged with { Found = $"{where.Replace("ran", "would run", StringComparison.Ordinal)}, but {judged.Found}" };
    }

    /// <summary>A host command on this host's own network: a warning that says plainly what it could reach, and why it was not isolated; never a pass.</summary>
    public static CheckResult HostCommand(string command, string whyNotIsolated, IEnumerable<string> inherited) =>
        new(Name, Title, Expected,
            $"not isolated: the application ran as a host command ({command}) on this host's own network, because {whyNotIsolated}. " +
            "It could reach everything this host can: every service listening on this host (its loopback included), every network this host is on, " +
            "the live database if this host can reach it, and the internet if this host has a route out. ORB_AIR_GAP=true and SELFHOST_DEPLOYMENT_MODE=disabled " +
            "do not stop outbound connections (a real LoopOver server booted this way on a restored backup picked up its pending jobs and connected to api.github.com:443). " +
            $"It was given only the scratch services' loopback addresses, and of this host's environment only {string.Join(", ", inherited)}. " +
            "Run the drill as root on Linux with nsenter (the default puts it in the network namespace of a container on the internal network), or boot the image form (-AppImage)",
            CheckVerdict.Warning, []);
}
