using FluentAssertions;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>Reading what the prober printed (bash /dev/tcp, nc, busybox wget) and the engine's multiplexed logs.</summary>
public sealed class RawHttpResponseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void ARawHttpAnswerGivesItsStatusAndBody()
    {
        const string raw = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{\"ok\":false,\"checks\":{\"db\":false}}";

        var answer = RawHttpResponse.Parse(raw, "", 0, Timeout);

        answer.Should().Be(new HttpAnswer(503, "{\"ok\":false,\"checks\":{\"db\":false}}", null));
    }

    [Fact]
    public void AChunkedBodyIsPutBackTogether()
    {
        const string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"ok\":t\r\n5\r\nrue}\n\r\n0\r\n\r\n";

        RawHttpResponse.Parse(raw, "", 0, Timeout).Should().Be(new HttpAnswer(200, "{\"ok\":true}", null));
    }

    [Fact]
    public void ARefusedConnectionIsNoAnswerWithBashsReason()
    {
        var answer = RawHttpResponse.Parse("", "probe: connect: Connection refused\nprobe: line 1: /dev/tcp/10.0.0.2/8787: Connection refused\n", 97, Timeout);

        answer.Should().Be(HttpAnswer.None("connect: Connection refused"));
    }

    [Fact]
    public void TheTimeoutCommandsExitCodeIsNoAnswerWithinTheTimeout()
    {
        RawHttpResponse.Parse("", "", 124, Timeout).Should().Be(HttpAnswer.None("no answer within 10 s"));
    }

    [Fact]
    public void BusyboxWgetGivesTheStatusOfAnErrorFromItsMessageAndNoBody()
    {
        var answer = RawHttpResponse.Parse("", "  HTTP/1.1 503 Service Unavailable\nwget: server returned error: HTTP/1.1 503 Service Unavailable\n", 1, Timeout);

        answer.Should().Be(new HttpAnswer(503, null, null));
    }

    [Fact]
    public void BusyboxWgetGivesTheBodyOfASuccess()
    {
        RawHttpResponse.Parse("{\"status\":\"ok\"}", "  HTTP/1.1 200 OK\n  Content-Type: application/json\n", 0, Timeout)
            .Should().Be(new HttpAnswer(200, "{\"status\":\"ok\"}", null));
    }
}
