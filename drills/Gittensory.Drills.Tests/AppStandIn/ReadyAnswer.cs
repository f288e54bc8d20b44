using System.Net;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>One answer of <c>GET /ready</c>: status, body, and when it came (since the process started).</summary>
public sealed record ReadyAnswer(HttpStatusCode Status, string Body, TimeSpan At);
