using System.Text.RegularExpressions;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Boot;

/// <summary>
/// The booted application's whole environment: LoopOver's smallest boot environment pointing at the scratch services, with
/// fresh secrets, the drill's safety switches, then the operator's env file and what other legs add. Nothing else from this
/// host or the live deployment reaches it. Knows which values are secret, and redacts them from anything the drill keeps.
/// </summary>
internal sealed partial class AppEnvironment
{
    /// <summary>A bare https origin that resolves nowhere (RFC 2606 <c>.invalid</c>).</summary>
    public const string DrillOrigin = "https://loopover-drill.invalid";

    /// <summary>What a host command inherits from this process: only what running a program needs.</summary>
    public static readonly IReadOnlyList<string> InheritedByHostCommand = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR", "DOTNET_ROOT"];

    // Variables an env file may not set: they point the application at the scratch copy, and keep it from writing anywhere else.
    private static readonly Dictionary<string, string> Pinned = new(StringComparer.Ordinal)
    {
        ["DATABASE_URL"] = "which the drill sets itself to the scratch Postgres holding the restored copy",
        ["DATABASE_PATH"] = "which the drill sets itself to a writable copy of the restored SQLite database",
        ["REDIS_URL"] = "which the drill sets itself to a scratch Redis",
        ["SELFHOST_DEPLOYMENT_MODE"] = "which a drill pins to 'disabled' so that the application writes nothing to GitHub",
        ["ORB_AIR_GAP"] = "which a drill pins to 'true' so that the application calls no outside service",
    };

    // What an env file may not set: the pinned variables, and the scratch services the drill may add (an env file's QDRANT_URL
    // could point the application at the live Qdrant).
    private static readonly Dictionary<string, string> NotFromEnvFile = new(Pinned, StringComparer.Ordinal)
    {
        ["QDRANT_URL"] = "which the drill sets itself to a scratch Qdrant restored from the snapshot (or leaves unset), so that the application never reaches the live Qdrant",
    };

    // The optional parts LoopOver enables only when configured (shared/LOOPOVER.md): each adds its own check to /ready.
    private static readonly (string Gate, string[] Variables, string ReadyCheck, string Why)[] Gates =
    [
        ("AI provider", ["AI_PROVIDER"], "ai_provider", "no model is called, so reviews that need one are not exercised"),
        ("GitHub App", ["GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY"], "github_app",
            "no GitHub App credentials, so webhooks and calls to GitHub are not exercised (SELFHOST_DEPLOYMENT_MODE=disabled also keeps it from writing to GitHub)"),
        ("Codex reviewer", ["LOOPOVER_ENABLE_UNSAFE_CODEX_REVIEWER"], "codex_auth", "the unsafe Codex reviewer stays off, so it is not exercised"),
        ("Qdrant", ["QDRANT_URL"], "qdrant", "no scratch Qdrant was given, so vector search and the collection check at boot are not exercised"),
    ];

    private readonly Dictionary<string, string> variables = new(StringComparer.Ordinal);
    private readonly List<AppVariable> described = [];
    private readonly List<string> secrets = [];

    private AppEnvironment()
    {
    }

    /// <summary>Every variable and its value, for the application only.</summary>
    public IReadOnlyDictionary<string, string> Variables => variables;

    /// <summary>Every variable's name and source, for the report.</summary>
    public IReadOnlyList<AppVariable> Described => described;

    /// <summary>The LoopOver boot environment for the scratch services at the given addresses, plus the env file and <paramref name="extra"/>.</summary>
    /// <param name="database">How the application reaches the restored database: <c>DATABASE_URL</c> of the scratch Postgres, or <c>DATABASE_PATH</c> of a writable SQLite copy, with the secrets to redact.</param>
    /// <param name="redisUrl">The scratch Redis as <c>redis://:password@host:port</c>.</param>
    /// <param name="redisPassword">Its password (redacted everywhere).</param>
    /// <param name="port">For a host command: the loopback port given in <c>PORT</c>; null for a container (the image's own port).</param>
    /// <param name="inputs">The operator's env file, as read once when the drill started.</param>
    /// <param name="extra">Variables the drill adds for its scratch services (e.g. a scratch Qdrant's <c>QDRANT_URL</c>).</param>
    /// <param name="inherit">For a host command: the variables of this process it inherits (<see cref="InheritedByHostCommand"/>).</param>
    public static AppEnvironment Build(
        Pipeline.AppDatabase database, string redisUrl, string redisPassword, int? port,
        BootInputs inputs, IReadOnlyDictionary<string, string> extra, IReadOnlyDictionary<string, string>? inherit)
    {
        var environment = new AppEnvironment();
        environment.secrets.AddRange([.. database.Secrets, redisPassword]);
        foreach (var (name, value) in inherit ?? new Dictionary<string, string>())
        {
            environment.Set(name, value, "host: inherited, to run the program");
        }

        foreach (var (name, value) in database.Variables)
        {
            environment.Set(name, value, database.Described);
        }

        environment.Set("REDIS_URL", redisUrl, "drill: a scratch Redis (Redis is in no backup; it starts empty)");
        var token = Secrets.NewSecret();
        environment.secrets.Add(token);
        environment.Set("SELFHOST_SETUP_TOKEN", token, "drill: generated for this boot");
        environment.Set("PUBLIC_API_ORIGIN", DrillOrigin, "drill: a bare https origin that resolves nowhere (.invalid)");
        environment.Set("SELFHOST_DEPLOYMENT_MODE", "disabled", "drill: no writes to GitHub");
        environment.Set("ORB_AIR_GAP", "true", "drill: no calls to outside services");
        if (port is { } p)
        {
            environment.Set("PORT", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "drill: a free loopback port");
        }

        var fromFile = inputs.EnvFile;
        foreach (var (name, value, _) in fromFile)
        {
            environment.Set(name, value, $"env file {inputs.EnvFileName}");
            if (LooksSecret().IsMatch(name))
            {
                environment.secrets.Add(value);
            }
        }

        foreach (var (name, value) in extra)
        {
            if (fromFile.Any(e => e.Name == name) || Pinned.ContainsKey(name))
            {
                throw new AppBootRefusedException($"{name} is set both by the env file (or the drill) and by another leg of the drill; leave it out of the env file.");
            }

            environment.Set(name, value, "drill: a scratch service this drill started for it (e.g. a Qdrant restored from the snapshot)");
            if (LooksSecret().IsMatch(name))
            {
                environment.secrets.Add(value);
            }
        }

        return environment;
    }

    /// <summary>
    /// Reads an env file: <c>KEY=VALUE</c> lines (optionally <c>export KEY=VALUE</c>, the value optionally in matching quotes), blank
    /// lines and <c>#</c> comments. Refuses a missing file, a malformed line, a name given twice, and the variables a drill pins.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value, int Line)> ReadEnvFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new AppBootRefusedException($"Env file '{path}' does not exist. Give a file of KEY=VALUE lines (-AppEnvFile), or leave it out.");
        }

        var entries = new List<(string Name, string Value, int Line)>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? line[..equals].Trim() : "";
            if (!VariableName().IsMatch(name))
            {
                throw new AppBootRefusedException($"Env file '{path}' line {number} is not KEY=VALUE (a name of letters, digits and _, then =); fix or remove it.");
            }

            if (NotFromEnvFile.TryGetValue(name, out var why))
            {
                throw new AppBootRefusedException($"Env file '{path}' line {number} sets {name}, {why}; remove it (the application boots against the restored copy, never anything else).");
            }

            if (entries.Any(e => e.Name == name))
            {
                throw new AppBootRefusedException($"Env file '{path}' sets {name} twice (lines {entries.First(e => e.Name == name).Line} and {number}); keep one.");
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            entries.Add((name, value, number));
        }

        return entries;
    }

    /// <summary>The optional parts left unconfigured, each with why it is not exercised.</summary>
    public IReadOnlyList<string> NotExercised() =>
        [.. Gates.Where(g => !IsConfigured(g.Variables))
            .Select(g => $"{g.Gate}: not exercised ({string.Join(", ", g.Variables)} unset): {g.Why}; /ready has no {g.ReadyCheck} check")];

    /// <summary>The checks a healthy <c>/ready</c> answers for this environment: db, migrations, redis, and one per configured optional part.</summary>
    public IReadOnlyList<string> ExpectedReadyChecks() =>
        ["db", "migrations", "redis", .. Gates.Where(g => IsConfigured(g.Variables)).Select(g => g.ReadyCheck)];

    /// <summary>The text with every password and secret of this environment replaced by <c>***</c>.</summary>
    public string Redact(string text) => Secrets.Redact(Secrets.Redact(text), secrets);

    private bool IsConfigured(string[] gateVariables) => variables.TryGetValue(gateVariables[0], out var value) && value.Length > 0;

    private void Set(string name, string value, string source)
    {
        variables[name] = value;
        described.RemoveAll(v => v.Name == name);
        described.Add(new AppVariable(name, source));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    [GeneratedRegex("TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|KEY|CREDENTIAL|AUTH", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksSecret();
}
