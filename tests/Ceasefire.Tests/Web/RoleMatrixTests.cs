using System.Net;
using System.Text;
using Ceasefire.Storage;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Tests.Web;

/// <summary>
/// Every endpoint against every role: who may call it, who is told to sign in (401) and who is refused (403). The
/// matrix below is the policy; the test also fails when an endpoint exists that the matrix does not list.
/// </summary>
public sealed class RoleMatrixTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    // Endpoint -> the least role that may call it (roles order: public < liaison < monitor < analyst < admin, except
    // that a liaison may not file reports and a monitor may not read complaints).
    private static readonly (string Method, string Path, Role[] Allowed)[] Matrix =
    [
        ("GET", "/api/health", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/reports", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/reports/acled:CFM-2025-0001", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("POST", "/api/reports", [Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/incidents", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/incidents/inc:acled:CFM-2025-0001", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/findings", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/map", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/agreements", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/zones", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/claims", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/complaints", [Role.Liaison, Role.Analyst, Role.Admin]),
        ("POST", "/api/complaints", [Role.Liaison, Role.Analyst, Role.Admin]),
        ("POST", "/api/imports?format=json", [Role.Analyst, Role.Admin]),
        ("GET", "/api/exports/findings.csv", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/exports/reports.geojson", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/session", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
        ("GET", "/api/session/antiforgery", [Role.Public, Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin]),
    ];

    public static TheoryData<string, string, Role> Cells()
    {
        var data = new TheoryData<string, string, Role>();
        foreach (var (method, path, _) in Matrix)
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                data.Add(method, path, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Endpoint_AnswersEachRoleAsThePolicySays(string method, string path, Role role)
    {
        var allowed = Matrix.Single(m => m.Method == method && m.Path == path).Allowed.Contains(role);
        using var client = fixture.For(role);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            // A body the endpoint rejects when allowed (400), so nothing is written, but only after authorization.
            request.Content = new StringContent("{\"not\": \"a report\"}", Encoding.UTF8, "application/json");
        }
        var response = await client.SendAsync(request);
        if (allowed)
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{method} {path} as {role}: {(int)response.StatusCode}");
        }
        else
        {
            Assert.Equal(role == Role.Public ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Liaison_FilesForItsOwnParty_AndTheAccusedSeesItOnlyOnceAcknowledged()
    {
        using var ua = fixture.For(Role.Liaison); // of UA
        var filed = await ua.PostAsync("/api/complaints", new StringContent(
            "{\"accused\":\"RU\",\"report_keys\":[\"acled:CFM-2025-0002\"],\"text\":\"Drones on railway traction power.\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var body = await filed.Content.ReadAsStringAsync();
        Assert.Contains("\"complainant\":\"UA\"", body);
        var forOther = await ua.PostAsync("/api/complaints", new StringContent(
            "{\"complainant\":\"RU\",\"accused\":\"UA\",\"report_keys\":[\"acled:CFM-2025-0001\"],\"text\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, forOther.StatusCode);
        Assert.Contains("$.complainant", await forOther.Content.ReadAsStringAsync());
        var unknownReport = await ua.PostAsync("/api/complaints", new StringContent(
            "{\"accused\":\"RU\",\"report_keys\":[\"acled:NOPE\"],\"text\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownReport.StatusCode);
    }

    [Fact]
    public async Task Liaison_SeesOnlyItsPartysComplaints()
    {
        using var liaison = fixture.For(Role.Liaison); // of UA
        var text = await liaison.GetStringAsync("/api/complaints");
        Assert.Contains("C-0001", text);          // filed by UA
        Assert.DoesNotContain("C-0002", text);    // between RU and GB
        using var analyst = fixture.For(Role.Analyst);
        Assert.Contains("C-0002", await analyst.GetStringAsync("/api/complaints"));
    }

    [Fact]
    public async Task TheMatrix_ListsEveryApiEndpoint()
    {
        using var client = fixture.For(Role.Public);
        var openapi = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var listed = Matrix.Select(m => m.Path.Split('?')[0]).Select(p => p.Contains("/acled:", StringComparison.Ordinal) || p.Contains("/inc:", StringComparison.Ordinal) ? p[..p.LastIndexOf('/')] : p).ToHashSet();
        foreach (var path in openapi.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name))
        {
            var normalized = path.Contains('{', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : path;
            Assert.True(listed.Contains(normalized), $"{path} is not in the role matrix");
        }
    }
}
