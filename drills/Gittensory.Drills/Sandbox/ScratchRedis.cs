using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.Logging.Abstractions;
using Testcontainers.Redis;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The disposable Redis an application boots against (Redis is in no backup, so it starts empty): a container this drill
/// created, on the drill's network with the alias <c>redis</c> and a loopback port, protected by a fresh password.
/// </summary>
public sealed class ScratchRedis
{
    /// <summary>The port Redis listens on inside the container.</summary>
    public const int Port = 6379;

    private ScratchRedis(RedisContainer container, string image, string name, string password)
    {
        Container = container;
        Image = image;
        Name = name;
        Password = password;
    }

    /// <summary>The Testcontainers container.</summary>
    public RedisContainer Container { get; }

    /// <summary>The image it runs.</summary>
    public string Image { get; }

    /// <summary>The container's name.</summary>
    public string Name { get; }

    /// <summary>The generated password (never written to a log or report).</summary>
    public string Password { get; }

    /// <summary>Its published port on the loopback interface.</summary>
    public int LoopbackPort => Container.GetMappedPublicPort(Port);

    /// <summary>A <c>redis://</c> URL with the password, for <paramref name="host"/> and <paramref name="port"/> (an alias on a drill network, or loopback).</summary>
    public string Url(string host, int port) => $"redis://:{Password}@{host}:{port}";

    /// <summary>Starts the scratch Redis on the sandbox's network.</summary>
    public static async Task<ScratchRedis> StartAsync(DrillSandbox sandbox, string image, CancellationToken ct = default)
    {
        var password = Secrets.NewSecret();
        var name = sandbox.ContainerName("redis");

        // RedisBuilder waits with `redis-cli ping`, which reads the password from REDISCLI_AUTH; the server needs it given on its
        // command line (the official image's entrypoint passes arguments on to redis-server, the local Debian image has none).
        var container = new RedisBuilder(image)
            .WithName(name)
            .WithLabel(DrillSandbox.RunLabel, sandbox.RunId)
            .WithNetwork(sandbox.Network)
            .WithNetworkAliases("redis")
            .WithEnvironment("REDISCLI_AUTH", password)
            .WithCommand("redis-server", "--bind", "0.0.0.0", "--requirepass", password, "--save", "", "--appendonly", "no")
            .WithLogger(NullLogger.Instance)
            .WithCreateParameterModifier(LoopbackPorts.Bind)
            .Build();
        sandbox.Track<IContainer>(container);
        await container.StartAsync(ct);
        return new ScratchRedis(container, image, name, password);
    }
}
