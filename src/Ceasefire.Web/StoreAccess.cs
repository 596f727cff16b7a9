using System.Data.Common;
using System.Net.Sockets;
using Ceasefire.Storage;
using Ceasefire.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Ceasefire.Web;

/// <summary>
/// The store as requests use it. A SQLite file is opened once and used by one request at a time; a PostgreSQL
/// database is opened once and used by many requests at once (each call takes a connection from Npgsql's pool, and
/// a connection broken by a restart of the database is replaced). Safe to use from many threads at once.
/// <para>
/// Reads (<see cref="ReadAsync"/>) are retried a few times, briefly, when the database cannot be reached, and then
/// fail with <see cref="StoreFaults"/>' 503; writes (<see cref="WriteAsync"/>) always go to the primary and are never
/// retried here (a write that failed may or may not have been committed). With a read replica (a hot standby), reads
/// go to it whenever it has replayed the log at least as far as this server's last write and as far as the client
/// asks (<see cref="MinSequenceHeader"/>); otherwise, and while the replica cannot be reached or opened (then for
/// <see cref="ReplicaRetryAfter"/>), to the primary. Each write's response says how far the log then reached
/// (<see cref="SequenceHeader"/>), so a client can read its own writes from any server. Credentials, which are not
/// on the log, are read from the primary (<see cref="ReadPrimaryAsync"/>).
/// </para>
/// </summary>
public sealed class StoreAccess : IAsyncDisposable
{
    /// <summary>Response header of a write: the log sequence the store had reached after it.</summary>
    public const string SequenceHeader = "X-Ceasefire-Log-Sequence";

    /// <summary>Request header: read from a store that has reached at least this log sequence.</summary>
    public const string MinSequenceHeader = "X-Ceasefire-Min-Sequence";

    /// <summary>How long reads stay off a replica that could not be reached or opened before it is tried again.</summary>
    public static readonly TimeSpan ReplicaRetryAfter = TimeSpan.FromSeconds(5);

    private readonly Database _primary;
    private readonly Database? _replica;
    private readonly IHttpContextAccessor? _http;
    private readonly TimeProvider _clock;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResiliencePipeline _readRetry;
    private long _lastWritten;
    private long _replicaReads;
    private long _replicaDownUntilTicks;

    /// <summary>Over a store, with an optional read replica.</summary>
    /// <param name="primary">The store: every write, and every read the replica cannot serve.</param>
    /// <param name="replica">A PostgreSQL hot standby of <paramref name="primary"/> (null: none).</param>
    /// <param name="http">The current request, for <see cref="MinSequenceHeader"/> and <see cref="SequenceHeader"/>.</param>
    /// <param name="clock">Time, for <see cref="ReplicaRetryAfter"/> (default: the system's).</param>
    /// <param name="logger">Where a replica that cannot be used is reported (default: nowhere).</param>
    public StoreAccess(StoreLocation primary, StoreLocation? replica = null, IHttpContextAccessor? http = null, TimeProvider? clock = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        if (replica is not null && (primary.Kind != StoreKind.Postgres || replica.Kind != StoreKind.Postgres))
        {
            throw new ArgumentException("A read replica is a PostgreSQL hot standby of a PostgreSQL store.", nameof(replica));
        }
        _primary = new Database(primary);
        _replica = replica is null ? null : new Database(replica);
        _http = http;
        _clock = clock ?? TimeProvider.System;
        _logger = logger;
        _readRetry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(StoreFaults.IsUnavailable),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(150),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>Over a SQLite file.</summary>
    public StoreAccess(string path)
        : this(StoreLocation.Parse(path))
    {
    }

    /// <summary>Reads served by the replica (for tests and the figures in docs/deployment.md).</summary>
    public long ReplicaReads => Interlocked.Read(ref _replicaReads);

    /// <summary>The highest log sequence a write through this object reached (0: none yet).</summary>
    public long LastWrittenSequence => Interlocked.Read(ref _lastWritten);

    /// <summary>Runs <paramref name="work"/> with the store: a read, retried while the database cannot be reached, perhaps served by the replica.</summary>
    public Task<T> UseAsync<T>(Func<IStore, Task<T>> work, CancellationToken ct) => ReadAsync(work, ct);

    /// <summary>Runs a read (see the class). <paramref name="work"/> must not write: it may run on a read-only standby.</summary>
    public async Task<T> ReadAsync<T>(Func<IStore, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await _readRetry.ExecuteAsync(async token =>
        {
            if (_replica is not null && _clock.GetUtcNow().UtcTicks >= Interlocked.Read(ref _replicaDownUntilTicks))
            {
                var needed = Math.Max(Interlocked.Read(ref _lastWritten), RequestedSequence());
                var replicaResult = await TryReplicaAsync(work, needed, token).ConfigureAwait(false);
                if (replicaResult.Served)
                {
                    Interlocked.Increment(ref _replicaReads);
                    return replicaResult.Value!;
                }
            }
            return await RunAsync(_primary, work, token).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a read on the primary (retried as <see cref="ReadAsync"/>'s): for what must be current and is not on the log,
    /// such as an API key just revoked or an account just disabled.
    /// </summary>
    public async Task<T> ReadPrimaryAsync<T>(Func<IStore, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await _readRetry.ExecuteAsync(token => new ValueTask<T>(RunAsync(_primary, work, token)), ct).ConfigureAwait(false);
    }

    /// <summary>Runs a write on the primary, once; the response then carries <see cref="SequenceHeader"/>.</summary>
    public async Task<T> WriteAsync<T>(Func<IStore, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        long sequence = 0;
        var result = await RunAsync(_primary, async s =>
        {
            var value = await work(s).ConfigureAwait(false);
            sequence = await s.LastSequenceAsync(ct).ConfigureAwait(false);
            return value;
        }, ct).ConfigureAwait(false);
        long seen;
        while ((seen = Interlocked.Read(ref _lastWritten)) < sequence && Interlocked.CompareExchange(ref _lastWritten, sequence, seen) != seen)
        {
        }
        if (_http?.HttpContext is { } context && !context.Response.HasStarted)
        {
            context.Response.Headers[SequenceHeader] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return result;
    }

    private long RequestedSequence() =>
        _http?.HttpContext?.Request.Headers[MinSequenceHeader].ToString() is { Length: > 0 } text
        && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;

    private async Task<(bool Served, T? Value)> TryReplicaAsync<T>(Func<IStore, Task<T>> work, long needed, CancellationToken ct)
    {
        IStore store;
        try
        {
            store = await SharedAsync(_replica!, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFaults.IsUnavailable(e) || e is InvalidOperationException)
        {
            // Down, or not (yet) at this build's schema (a migration the standby has not replayed): the primary serves.
            ReplicaDown(e);
            return (false, default);
        }
        try
        {
            if (needed > 0 && await store.LastSequenceAsync(ct).ConfigureAwait(false) < needed)
            {
                return (false, default); // behind: the primary holds what this read must see
            }
            return (true, await work(store).ConfigureAwait(false));
        }
        catch (System.Data.Common.DbException e) when (e.SqlState is { } state && state.StartsWith("40", StringComparison.Ordinal))
        {
            return (false, default); // cancelled by a conflict with the standby's replay: this read goes to the primary
        }
        catch (Exception e) when (StoreFaults.IsUnavailable(e))
        {
            ReplicaDown(e);
            return (false, default);
        }
    }

    private void ReplicaDown(Exception e)
    {
        var until = (_clock.GetUtcNow() + ReplicaRetryAfter).UtcTicks;
        var before = Interlocked.Exchange(ref _replicaDownUntilTicks, until);
        if (before < _clock.GetUtcNow().UtcTicks)
        {
            _logger?.LogWarning("The read replica {Replica} cannot be used ({Reason}); reads go to the primary for {Seconds} s.",
                _replica!.Location, e.Message, ReplicaRetryAfter.TotalSeconds);
        }
    }

    private async Task<T> RunAsync<T>(Database database, Func<IStore, Task<T>> work, CancellationToken ct)
    {
        if (!database.Location.AllowsConcurrentUse)
        {
            // A SQLite file: one request at a time.
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                database.Store ??= await database.Location.OpenAsync(cancellationToken: ct).ConfigureAwait(false);
                return await work(database.Store).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        return await work(await SharedAsync(database, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    // A server database: one store object serves every request at once (it takes a pooled connection per call);
    // opened on first use, and again later if the database could not be reached or opened then.
    private async Task<IStore> SharedAsync(Database database, CancellationToken ct)
    {
        if (database.Store is { } store)
        {
            return store;
        }
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (database.Store is null)
            {
                store = await database.Location.OpenAsync(cancellationToken: ct).ConfigureAwait(false);
                if (database == _replica && store is Storage.Postgres.PostgresStore { IsStandby: false })
                {
                    _logger?.LogWarning("The read replica {Replica} is not a hot standby (not in recovery): reads may see another database than writes.", database.Location);
                }
                database.Store = store;
            }
            return database.Store;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in new[] { _primary.Store, _replica?.Store })
        {
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
        _gate.Dispose();
    }

    /// <summary>A database and the store opened on it (null until first used).</summary>
    private sealed class Database(StoreLocation location)
    {
        public StoreLocation Location { get; } = location;

        public IStore? Store { get => Volatile.Read(ref _store); set => Volatile.Write(ref _store, value); }

        private IStore? _store;
    }
}

/// <summary>Which failures mean "the database cannot be reached right now": answered 503 with Retry-After, never 500.</summary>
public static class StoreFaults
{
    /// <summary>Seconds a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>True for a database that is down, restarting, refusing connections or timing out.</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        null => false,
        DbException { IsTransient: true } => true,
        DbException db when db.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300") => true,
        SocketException or TimeoutException => true,
        IOException when e.InnerException is SocketException => true,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}
