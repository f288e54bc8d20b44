using System.Net;

namespace Gittensory.Drills.Restore;

/// <summary>A Qdrant API call that did not succeed, with the request, the HTTP status and Qdrant's own error text.</summary>
public sealed class QdrantApiException(string request, HttpStatusCode status, string error)
    : Exception($"Qdrant answered {request} with {(int)status} {status}: {error}")
{
    /// <summary>The request, e.g. <c>POST /collections/loopover/snapshots/upload</c>.</summary>
    public string Request { get; } = request;

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>Qdrant's <c>status.error</c>, or the body when it is not Qdrant's error shape.</summary>
    public string Error { get; } = error;
}
