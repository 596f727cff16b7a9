using System.Security.Cryptography;
using System.Text;
using Ceasefire.Storage;

namespace Ceasefire.Tests.Storage;

/// <summary>The canonical forms the hash chain is computed by, recomputed here from their description.</summary>
public sealed class LogHashTests
{
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTimeOffset At = new(2025, 3, 18, 12, 0, 0, TimeSpan.Zero);
    private const string Payload = "{\"kind\":\"zones\",\"name\":\"Суджа\"}";

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void Form2_HashesTheFieldsAndTheDigestOfThePayloadsJson()
    {
        var digest = Sha256Hex(Encoding.UTF8.GetBytes(Payload));
        var canonical = $"ceasefire-log/2\n7\n{Id:D}\nzones\n1\nzones.loaded\n2025-03-18T12:00:00.000000Z\nanalyst\n{LogHash.Genesis}\n{digest}\n";
        var entry = new LogEntry(7, Id, "zones", 1, "zones.loaded", Payload, At, "analyst", LogHash.Genesis, "");
        Assert.Equal(Sha256Hex(Encoding.UTF8.GetBytes(canonical)), LogHash.Compute(entry));
        Assert.Equal(LogHash.PayloadDigest(Encoding.UTF8.GetBytes(Payload)), digest);
    }

    [Fact]
    public void Form1_EntriesOfEarlierVersions_AreCheckedByTheirOwnForm()
    {
        var canonical = Encoding.UTF8.GetBytes($"ceasefire-log/1\n7\n{Id:D}\nzones\n1\nzones.loaded\n2025-03-18T12:00:00.000000Z\nanalyst\n{LogHash.Genesis}\n")
            .Concat(Encoding.UTF8.GetBytes(Payload)).ToArray();
        var entry = new LogEntry(7, Id, "zones", 1, "zones.loaded", Payload, At, "analyst", LogHash.Genesis, "", Form: 1);
        Assert.Equal(Sha256Hex(canonical), LogHash.Compute(entry));
        Assert.NotEqual(LogHash.Compute(entry with { Form = 2 }), LogHash.Compute(entry));
    }

    [Fact]
    public void ChangingThePayload_ChangesTheHash()
    {
        var entry = new LogEntry(7, Id, "zones", 1, "zones.loaded", Payload, At, "analyst", LogHash.Genesis, "");
        Assert.NotEqual(LogHash.Compute(entry), LogHash.Compute(entry with { Data = Payload.Replace("Суджа", "Sudzha", StringComparison.Ordinal) }));
    }
}
