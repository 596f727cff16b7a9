using Ceasefire.Storage.Postgres;
using Npgsql;

namespace Ceasefire.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    private static NpgsqlConnectionStringBuilder Parse(string value) => new(PostgresConnectionString.ToNpgsql(value));

    [Fact]
    public void ToNpgsql_PostgresUri_TakesEveryPart()
    {
        var b = Parse("postgres://monitor:s3cret@db.example.org:6543/ceasefire?sslmode=require&application_name=cf+web&connect_timeout=7");
        Assert.Equal(("db.example.org", 6543, "monitor", "s3cret", "ceasefire"), (b.Host, b.Port, b.Username, b.Password, b.Database));
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.Equal("cf web", b.ApplicationName);
        Assert.Equal(7, b.Timeout);
    }

    [Fact]
    public void ToNpgsql_PostgresqlUriWithEscapes_IsDecoded()
    {
        var b = Parse("postgresql://ana%40mission:p%40ss%3Aw%2Frd@localhost/cf%20db?sslmode=verify-full");
        Assert.Equal(("localhost", 5432, "ana@mission", "p@ss:w/rd", "cf db"), (b.Host, b.Port, b.Username, b.Password, b.Database));
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
    }

    [Fact]
    public void ToNpgsql_UriWithIpv6HostAndNoUser_LeavesTheRestToDefaults()
    {
        var b = Parse("POSTGRES://[::1]:15432/cf");
        Assert.Equal(("::1", 15432, "cf"), (b.Host, b.Port, b.Database));
        Assert.Null(b.Username);
        Assert.Null(b.Password);
    }

    [Fact]
    public void ToNpgsql_KeyValueString_IsKept()
    {
        var b = Parse("Host=127.0.0.1;Port=23256;Username=postgres;Database=ceasefire;Password=x");
        Assert.Equal(("127.0.0.1", 23256, "postgres", "ceasefire", "x"), (b.Host, b.Port, b.Username, b.Database, b.Password));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("mysql://root:hunter2secret@db/ceasefire")]
    [InlineData("postgres://root:hunter2secret@/ceasefire")]
    [InlineData("postgres://root:hunter2secret@db/ceasefire?nonsense_option=1")]
    [InlineData("postgres://root:hunter2secret@db/ceasefire?sslmode=sometimes")]
    [InlineData("postgres://root:hunter2secret@db/cease/fire")]
    [InlineData("postgres://root:hunter2secret@db/ceasefire?sslmode")]
    [InlineData("Host=db;Password=hunter2secret;Bogus=1")]
    [InlineData("Host=db;Password=hunter2secret;Port=many")]
    [InlineData("Username=u;Password=hunter2secret;Database=d")]
    [InlineData("ceasefire.db")]
    public void ToNpgsql_BadInput_SaysSoWithoutThePassword(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql(value));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain("hunter2secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_BadConnectionString_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresStore.OpenAsync("postgres://u:hunter2secret@/x"));
    }
}
