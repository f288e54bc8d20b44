using System.Net;
using Docker.DotNet;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Pipeline;

/// <summary>
/// The images a drill will start that are known before any backup is read (the application, its /ready prober, the scratch
/// Redis, the scratch Qdrant), each asked of the engine before anything is restored, so that a missing one stops the drill
/// at once (exit 2) instead of after the whole restore. The Postgres image depends on the dump and is checked by its leg.
/// </summary>
internal static class ImagePreflight
{
    /// <summary>One image the drill needs: what it is for, its name, and the setting that names it.</summary>
    public sealed record NeededImage(string Role, string Image, string Setting);

    /// <summary>The images the drill of <paramref name="stores"/> will start; <paramref name="qdrantFromImage"/> is false when a test serves Qdrant from a stand-in.</summary>
    public static IReadOnlyList<NeededImage> Needed(DrillOptions options, IReadOnlySet<BackupStore> stores, bool qdrantFromImage = true)
    {
        var images = new List<NeededImage>();
        if (options.BootApp is { } boot)
        {
            images.Add(new("scratch Redis", options.Images.Redis, "DRILL_REDIS_IMAGE"));
            if (!boot.IsHostCommand)
            {
                images.Add(new("application", boot.Image ?? options.Images.App, "-AppImage or DRILL_APP_IMAGE"));
                images.Add(new("/ready prober", boot.ProberImage ?? options.Images.Redis, "--prober-image, else DRILL_REDIS_IMAGE"));
            }
        }

        if (qdrantFromImage && stores.Contains(BackupStore.Qdrant))
        {
            images.Add(new("scratch Qdrant", options.Images.Qdrant, "DRILL_QDRANT_IMAGE"));
        }

        return [.. images.DistinctBy(i => i.Image, StringComparer.Ordinal)]; // the prober is the Redis image unless named
    }

    /// <summary>What to do about an image the engine does not have.</summary>
    public static string MissingMessage(NeededImage image) =>
        $"The {image.Role} image '{image.Image}' is not on this container engine, and the drill does not pull images. Load it before the drill: " +
        $"docker pull {image.Image}, or where there is no registry docker load -i a copy saved with docker save {image.Image} on a machine that has it; " +
        $"or name another image with {image.Setting}.";

    /// <summary>Stops the drill (exit 2), naming the first image the engine does not have; does nothing when no engine answers (the sandbox says so).</summary>
    public static async Task RequireAsync(DrillOptions options, IReadOnlySet<BackupStore> stores, bool qdrantFromImage, CancellationToken ct = default)
    {
        foreach (var (image, present) in await InspectAsync(Needed(options, stores, qdrantFromImage), ct))
        {
            if (present == false)
            {
                throw new DrillAbortedException(DrillVerdict.Error, MissingMessage(image));
            }
        }
    }

    /// <summary>For <c>-WhatIf</c>: one line per image, present or missing (and then what to do), or why they were not asked.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(DrillOptions options, IReadOnlySet<BackupStore> stores, CancellationToken ct = default)
    {
        var lines = new List<string>();
        foreach (var (image, present) in await InspectAsync(Needed(options, stores), ct))
        {
            lines.Add(present switch
            {
                true => $"Image ({image.Role}): '{image.Image}' is on the engine.",
                false => $"Would stop before any restore (exit 2): {MissingMessage(image)}",
                null => $"Image ({image.Role}): '{image.Image}', not asked: no container engine answers.",
            });
        }

        return lines;
    }

    // Each image with true (on the engine), false (not there) or null (no engine answers to ask).
    private static async Task<IReadOnlyList<(NeededImage Image, bool? Present)>> InspectAsync(IReadOnlyList<NeededImage> images, CancellationToken ct)
    {
        if (images.Count == 0)
        {
            return [];
        }

        if (!(await ContainerEngine.ProbeAsync(ct: ct)).Answers)
        {
            return [.. images.Select(i => (i, (bool?)null))];
        }

        var engine = await EngineClient.GetAsync(ct);
        var result = new List<(NeededImage, bool?)>();
        foreach (var image in images)
        {
            try
            {
                await engine.Images.InspectImageAsync(image.Image, ct);
                result.Add((image, true));
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                result.Add((image, false));
            }
        }

        return result;
    }
}
