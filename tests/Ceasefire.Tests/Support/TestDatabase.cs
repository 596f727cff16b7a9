using Npgsql;

namespace Ceasefire.Tests.Support;

/// <summary>
/// A fresh database on the test cluster (<see cref="TestPostgres"/>), created by <see cref="CreateAsync"/> and dropped
/// (connections and all) on disposal, so tests are isolated and may run in parallel.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name (<c>cf_test_...</c>).</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string to it.</summary>
    public string ConnectionString { get; }

    /// <summary>The same as a <c>postgres://</c> URI, as a user gives it to <c>--store</c>.</summary>
    public string Uri
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            var user = System.Uri.EscapeDataString(b.Username ?? "postgres");
            var password = string.IsNullOrEmpty(b.Password) ? "" : ":" + System.Uri.EscapeDataString(b.Password);
            return $"postgres://{user}{password}@{b.Host}:{b.Port}/{b.Database}";
        }
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = $"cf_test_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(TestPostgres.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
