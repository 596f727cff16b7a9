namespace Ceasefire.Storage.Sqlite;

/// <summary>
/// The schema, as numbered migrations applied in order; <c>schema_version</c> records the last one applied. A
/// migration is never edited once released: changes are new migrations.
/// </summary>
internal static class Migrations
{
    public static readonly string[] All =
    [
        // 1: the append-only log (triggers refuse UPDATE and DELETE; verify catches edits that drop them; payloads are
        // UTF-8 JSON stored as BLOBs, exactly the bytes hashed) and reports. A report's JSON is not copied into the
        // read model: `payload_offset`/`payload_length` locate it inside the log entry that recorded it.
        """
        CREATE TABLE log (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            stream TEXT NOT NULL,
            version INTEGER NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            author TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (stream, version));
        CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only: entries are never updated'); END;
        CREATE TRIGGER log_no_delete BEFORE DELETE ON log BEGIN SELECT RAISE(ABORT, 'the log is append-only: entries are never deleted'); END;
        CREATE TABLE reports (
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            dataset TEXT NOT NULL,
            log_seq INTEGER NOT NULL REFERENCES log (seq),
            earliest INTEGER NOT NULL,
            latest INTEGER NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            act TEXT NOT NULL,
            perpetrator TEXT,
            place TEXT,
            payload_offset INTEGER NOT NULL,
            payload_length INTEGER NOT NULL,
            current INTEGER NOT NULL,
            UNIQUE (key, version));
        CREATE INDEX reports_time ON reports (earliest);
        CREATE TABLE documents (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            log_seq INTEGER NOT NULL REFERENCES log (seq),
            PRIMARY KEY (kind, name, content_hash)) WITHOUT ROWID;
        CREATE TABLE findings (
            agreement TEXT NOT NULL,
            report_key TEXT NOT NULL,
            report_version INTEGER NOT NULL,
            agreement_version INTEGER NOT NULL,
            obligation TEXT NOT NULL,
            phase TEXT NOT NULL,
            reading TEXT NOT NULL,
            verdict TEXT NOT NULL,
            confidence REAL NOT NULL,
            failed TEXT NOT NULL,
            uncertain TEXT NOT NULL,
            explanation TEXT NOT NULL,
            log_seq INTEGER NOT NULL REFERENCES log (seq),
            PRIMARY KEY (agreement, report_key, obligation, reading));
        CREATE INDEX findings_verdict ON findings (verdict);
        """,
        // 2: the report indexes are named (not a table constraint), so that a large import can load rows first and
        // build the indexes after (see Projector.BeginBulk). Same columns, same rows.
        """
        CREATE TABLE reports_v2 (
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            dataset TEXT NOT NULL,
            log_seq INTEGER NOT NULL REFERENCES log (seq),
            earliest INTEGER NOT NULL,
            latest INTEGER NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            act TEXT NOT NULL,
            perpetrator TEXT,
            place TEXT,
            payload_offset INTEGER NOT NULL,
            payload_length INTEGER NOT NULL,
            current INTEGER NOT NULL);
        INSERT INTO reports_v2 SELECT * FROM reports ORDER BY rowid;
        DROP TABLE reports;
        ALTER TABLE reports_v2 RENAME TO reports;
        """ + ReportIndexes,
        // 3: payloads may be stored compressed (encoding: identity or deflate), and entries record the canonical
        // form their hash was computed by (1: the payload's bytes; 2: the digest of its JSON). See LogHash.
        """
        ALTER TABLE log ADD COLUMN encoding TEXT NOT NULL DEFAULT 'identity';
        ALTER TABLE log ADD COLUMN hash_form INTEGER NOT NULL DEFAULT 1;
        """,
        // 4: incidents (from corroboration runs), the reports in each, and the review queue.
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            reference_key TEXT NOT NULL,
            members TEXT NOT NULL,
            disputed INTEGER NOT NULL,
            accused TEXT NOT NULL,
            earliest INTEGER NOT NULL,
            latest INTEGER NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            radius_m REAL NOT NULL,
            act TEXT NOT NULL,
            target TEXT NOT NULL,
            grade TEXT NOT NULL,
            confidence REAL NOT NULL,
            confirmed_by TEXT,
            detail TEXT NOT NULL,
            log_seq INTEGER NOT NULL REFERENCES log (seq)) WITHOUT ROWID;
        CREATE INDEX incidents_time ON incidents (earliest);
        CREATE TABLE incident_reports (
            report_key TEXT NOT NULL,
            incident_id TEXT NOT NULL,
            PRIMARY KEY (report_key, incident_id)) WITHOUT ROWID;
        CREATE TABLE review_queue (
            incident_id TEXT NOT NULL,
            report_key TEXT NOT NULL,
            score REAL NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (incident_id, report_key)) WITHOUT ROWID;
        """,
        // 5: accounts and API keys, outside the log (the log is for both sides to audit; password hashes are not).
        """
        CREATE TABLE accounts (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            party TEXT,
            created_at TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        CREATE TABLE api_keys (
            key_hash TEXT PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            party TEXT,
            created_at TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        """,
        // 6: findings looked up by what they rule on (a report, an incident, a side of a dispute).
        """
        CREATE INDEX findings_subject ON findings (report_key);
        """,
    ];

    /// <summary>The indexes of the reports table (created by migration 2, and again after a bulk load).</summary>
    public const string ReportIndexes = """
        CREATE UNIQUE INDEX reports_key ON reports (key, version);
        CREATE INDEX reports_time ON reports (earliest);
        """;

    /// <summary>Drops <see cref="ReportIndexes"/>.</summary>
    public const string DropReportIndexes = "DROP INDEX IF EXISTS reports_key; DROP INDEX IF EXISTS reports_time;";
}
