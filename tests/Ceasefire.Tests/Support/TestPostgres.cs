namespace Ceasefire.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests that need one use: the connection string in <c>CEASEFIRE_TEST_POSTGRES</c>, which
/// <c>scripts/test.sh</c> (README's test command, run by CI) sets after starting a private cluster. Without it these
/// tests fail with a message saying how to run them; they never skip.
/// </summary>
internal static class TestPostgres
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("CEASEFIRE_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "This test needs PostgreSQL with PostGIS: run the tests with scripts/test.sh (it starts a private cluster), " +
                "or set CEASEFIRE_TEST_POSTGRES to an Npgsql connection string.");
}

/// <summary>Paths in the repository, found from the test's output directory.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ceasefire.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Ceasefire.slnx) is not above " + AppContext.BaseDirectory);
    }
}
