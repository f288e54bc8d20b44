using Docker.DotNet.Models;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// Publishes a scratch container's ports on loopback only. Testcontainers binds every published port on 0.0.0.0 and [::], even
/// when the engine runs with <c>--ip 127.0.0.1</c>, which would expose restored production data to the network.
/// </summary>
internal static class LoopbackPorts
{
    /// <summary>The only address a port the drill publishes is bound to.</summary>
    public const string Address = "127.0.0.1";

    /// <summary>A create-parameter modifier (<c>WithCreateParameterModifier</c>) that binds every published port to <see cref="Address"/>.</summary>
    public static void Bind(CreateContainerParameters parameters)
    {
        foreach (var bindings in parameters.HostConfig?.PortBindings?.Values ?? [])
        {
            foreach (var binding in bindings)
            {
                binding.HostIP = Address;
            }
        }
    }
}
