//! [`SqliteStore`]: the [`Store`] in one SQLite file in the data directory.
//!
//! Durability: WAL journal. Every commit is written to the OS before its call
//! returns `Ok`, so it survives SIGKILL. Approvals and audit entries commit
//! with `synchronous=FULL` (an fsync of the WAL each: they also survive a power
//! cut, and they are rare). Spend records, on the writer thread's own
//! connection, follow [`SpendSync`]: `PerAnswer` commits them with `FULL` too;
//! `Periodic` commits them with `NORMAL` (no fsync) and the writer thread
//! fsyncs the WAL file within the interval.
//! Spend records written concurrently share one transaction ([`SpendWriter`]),
//! so the ledger keeps up with the gateway's request rate: each
//! `record_spend` still returns only after its own record is committed.
//!
//! Failing loudly: [`SqliteStore::open`] refuses an unwritable directory and a
//! file that is not a healthy SQLite database (`PRAGMA quick_check`), rather
//! than starting with an empty ledger and silently forgetting spend.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use super::spend_writer::{SpendAck, SpendWriter};
use super::{AuditEntry, SpendRecord, SpendSync, Store, StoreError};
use crate::approval::ApprovalRequest;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "warden.db";

/// Schema version in `PRAGMA user_version`; a newer file is refused rather than misread.
const SCHEMA_VERSION: i64 = 1;

/// WAL pages after which the spend connection checkpoints on its own (40 MB).
const SPEND_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// How long a writer waits for a lock held by another connection (e.g. a backup tool)
/// before failing: long enough to ride out a checkpoint, short enough to surface a stuck peer.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS spend (
    seq INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    user TEXT,
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS spend_at ON spend(at_ms);
CREATE TABLE IF NOT EXISTS approvals (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_tenant ON approvals(tenant);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals(status);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    tenant TEXT NOT NULL,
    subject TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_tenant ON audit(tenant);
";

/// A [`Store`] backed by `<data_dir>/warden.db`.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    /// One connection: SQLite serialises writers anyway, and a mutex keeps it simple.
    conn: Arc<Mutex<Connection>>,
    /// Writes spend records in batches (see [`SpendWriter`]).
    spends: SpendWriter,
}

impl SqliteStore {
    /// Open (creating if needed) the store in `data_dir`, with the default [`SpendSync`].
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        Self::open_with(data_dir, SpendSync::default())
    }

    /// Open (creating if needed) the store in `data_dir`.
    ///
    /// Errors: [`StoreError::Unwritable`] if the directory cannot be created or
    /// written (including a directory whose permission bits say read-only, even
    /// for root), [`StoreError::Corrupt`] if `warden.db` is not a healthy database.
    pub fn open_with(data_dir: &Path, sync: SpendSync) -> Result<Self, StoreError> {
        check_writable(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let shown = path.display().to_string();
        if path.metadata().is_ok_and(|m| m.permissions().readonly()) {
            return Err(StoreError::Unwritable {
                path: shown,
                reason: "the database file is read-only".into(),
            });
        }
        let conn = Connection::open(&path).map_err(|e| classify(&shown, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&shown, e))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| classify(&shown, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Unwritable {
                path: shown,
                reason: format!("cannot enable WAL journal (got `{mode}`)"),
            });
        }
        conn.execute_batch("PRAGMA synchronous=FULL;")
            .map_err(|e| classify(&shown, e))?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| classify(&shown, e))?;
        if check != "ok" {
            return Err(StoreError::Corrupt {
                path: shown,
                reason: check,
            });
        }
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(&shown, e))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Corrupt {
                path: shown,
                reason: format!(
                    "schema version {version} is newer than this build ({SCHEMA_VERSION})"
                ),
            });
        }
        conn.execute_batch(&format!(
            "BEGIN; {SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
        ))
        .map_err(|e| classify(&shown, e))?;
        let conn = Arc::new(Mutex::new(conn));
        // The spend writer has its own connection: `synchronous` is per
        // connection, so spend can commit without an fsync (periodic) while
        // approvals and audit entries on `conn` keep FULL.
        let spend_conn = Connection::open(&path).map_err(|e| classify(&shown, e))?;
        spend_conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&shown, e))?;
        let level = match sync {
            SpendSync::Periodic(_) => "NORMAL",
            SpendSync::PerAnswer => "FULL",
        };
        // A checkpoint copies each changed page once however often it changed,
        // and spend batches keep rewriting the same few right-edge pages: so
        // checkpoint rarely (the periodic flush below checkpoints once per
        // interval; this bound is for `per-answer`, which has no flush).
        spend_conn
            .execute_batch(&format!(
                "PRAGMA synchronous={level}; PRAGMA wal_autocheckpoint={SPEND_AUTOCHECKPOINT_PAGES};"
            ))
            .map_err(|e| classify(&shown, e))?;
        let spend_conn = Arc::new(Mutex::new(spend_conn));
        let (c, p) = (spend_conn.clone(), shown.clone());
        let write = move |batch: &[SpendRecord]| insert_spends(&lock(&c), &p, batch);
        let flush = match sync {
            SpendSync::PerAnswer => None,
            SpendSync::Periodic(every) => {
                let wal = wal_path(&path);
                let f: Box<dyn Fn() + Send> = Box::new(move || {
                    // With synchronous=NORMAL a checkpoint fsyncs the WAL before
                    // copying it and the database after; the explicit WAL fsync
                    // covers frames a reader kept the checkpoint from reaching.
                    let conn = lock(&spend_conn);
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::warn!(path = %wal.display(), error = %e, "spend checkpoint failed");
                    }
                    if let Err(e) = sync_file(&wal) {
                        tracing::error!(path = %wal.display(), error = %e, "could not fsync the spend log");
                    }
                });
                Some((every, f))
            }
        };
        let spends = SpendWriter::spawn(shown.clone(), write, flush).map_err(|e| {
            StoreError::Unwritable {
                path: shown,
                reason: format!("cannot start the spend writer thread: {e}"),
            }
        })?;
        Ok(Self { path, conn, spends })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        lock(&self.conn)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path.display().to_string(), e)
    }

    fn bad_row(&self, what: impl Into<String>, reason: impl ToString) -> StoreError {
        StoreError::BadRow {
            path: self.path.display().to_string(),
            what: what.into(),
            reason: reason.to_string(),
        }
    }

    fn decode_approvals(&self, bodies: Vec<String>) -> Result<Vec<ApprovalRequest>, StoreError> {
        bodies
            .into_iter()
            .map(|b| serde_json::from_str(&b).map_err(|e| self.bad_row("approval", e)))
            .collect()
    }

    fn query_strings(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<String>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params, |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

/// Refuse a directory we could not write to, before SQLite gets a chance to
/// open it read-only or fail later on the first commit.
fn check_writable(dir: &Path) -> Result<(), StoreError> {
    let unwritable = |reason: String| StoreError::Unwritable {
        path: dir.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| unwritable(e.to_string()))?;
    let meta = dir.metadata().map_err(|e| unwritable(e.to_string()))?;
    if !meta.is_dir() {
        return Err(unwritable("not a directory".into()));
    }
    // Root ignores permission bits, but an operator who marked the directory
    // read-only meant it: honour the bits, then prove writability for real.
    if meta.permissions().readonly() {
        return Err(unwritable("the directory is read-only".into()));
    }
    let probe = dir.join(".warden-write-probe");
    std::fs::write(&probe, b"probe").map_err(|e| unwritable(e.to_string()))?;
    std::fs::remove_file(&probe).map_err(|e| unwritable(e.to_string()))?;
    Ok(())
}

fn classify(path: &str, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_string(),
            reason: e.to_string(),
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::Unwritable {
                path: path.to_string(),
                reason: e.to_string(),
            }
        }
        _ => StoreError::Sqlite {
            path: path.to_string(),
            source: e,
        },
    }
}

/// SQLite's write-ahead log beside `db`: every commit not yet checkpointed is in it.
fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// fsync `path` (a WAL file; fsync flushes the file through any descriptor).
/// Commits already moved into the database file by a checkpoint were fsynced
/// by that checkpoint, so syncing the WAL covers everything committed.
fn sync_file(path: &Path) -> std::io::Result<()> {
    let synced = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_data());
    match synced {
        // No WAL yet (or removed after a full checkpoint at shutdown): nothing to flush.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|p| p.into_inner())
}

/// Insert one record (`false`: its id is taken).
fn insert_spend(conn: &Connection, path: &str, r: &SpendRecord) -> Result<bool, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO spend (request_id, tenant, user, model, input_tokens, output_tokens, cost_usd, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(request_id) DO NOTHING",
        )
        .map_err(|e| classify(path, e))?;
    let n = stmt
        .execute(params![
            r.request_id,
            r.tenant,
            r.user,
            r.model,
            i64::try_from(r.input_tokens).unwrap_or(i64::MAX),
            i64::try_from(r.output_tokens).unwrap_or(i64::MAX),
            r.cost_usd.to_string(),
            r.at_ms
        ])
        .map_err(|e| classify(path, e))?;
    Ok(n == 1)
}

/// Insert `batch` in one transaction (one fsync). If that fails, each record
/// is retried in its own transaction, so one bad record cannot fail the
/// others and each caller gets its own error.
fn insert_spends(
    conn: &Connection,
    path: &str,
    batch: &[SpendRecord],
) -> Vec<Result<bool, StoreError>> {
    if batch.len() > 1 {
        // Any failure rolls the whole transaction back (dropping `tx`).
        let together = (|| {
            let tx = conn.unchecked_transaction().ok()?;
            let mut out = Vec::with_capacity(batch.len());
            for r in batch {
                out.push(insert_spend(&tx, path, r).ok()?);
            }
            tx.commit().ok()?;
            Some(out)
        })();
        if let Some(out) = together {
            return out.into_iter().map(Ok).collect();
        }
    }
    batch.iter().map(|r| insert_spend(conn, path, r)).collect()
}

impl Store for SqliteStore {
    fn record_spend(&self, r: &SpendRecord) -> Result<bool, StoreError> {
        self.spends.write_blocking(r.clone())
    }

    fn record_spend_async(&self, r: SpendRecord) -> SpendAck {
        self.spends.write(r)
    }

    fn spend_since(&self, since_ms: i64) -> Result<Vec<SpendRecord>, StoreError> {
        type Row = (
            String,
            String,
            Option<String>,
            String,
            i64,
            i64,
            String,
            i64,
        );
        let rows: Vec<Row> = {
            let conn = self.lock();
            let mut stmt = conn
                .prepare_cached(
                    "SELECT request_id, tenant, user, model, input_tokens, output_tokens, cost_usd, at_ms
                     FROM spend WHERE at_ms >= ?1 ORDER BY seq",
                )
                .map_err(|e| self.err(e))?;
            let it = stmt
                .query_map([since_ms], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                })
                .map_err(|e| self.err(e))?;
            it.collect::<Result<_, _>>().map_err(|e| self.err(e))?
        };
        rows.into_iter()
            .map(|(request_id, tenant, user, model, i, o, cost, at_ms)| {
                let cost_usd = cost
                    .parse()
                    .map_err(|e| self.bad_row(format!("spend `{request_id}`"), e))?;
                Ok(SpendRecord {
                    request_id,
                    tenant,
                    user,
                    model,
                    input_tokens: u64::try_from(i).unwrap_or(0),
                    output_tokens: u64::try_from(o).unwrap_or(0),
                    cost_usd,
                    at_ms,
                })
            })
            .collect()
    }

    fn save_approval(&self, a: &ApprovalRequest, e: &AuditEntry) -> Result<(), StoreError> {
        let body = serde_json::to_string(a)
            .map_err(|err| self.bad_row(format!("approval `{}`", a.id), err))?;
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(|err| self.err(err))?;
        tx.prepare_cached(
            "INSERT INTO approvals (id, tenant, status, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET status = excluded.status, body = excluded.body",
        )
        .and_then(|mut s| s.execute(params![a.id, a.tenant, a.status.as_str(), body]))
        .map_err(|err| self.err(err))?;
        tx.prepare_cached(
            "INSERT INTO audit (at_ms, tenant, subject, action, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| s.execute(params![e.at_ms, e.tenant, e.subject, e.action, e.actor, e.detail]))
        .map_err(|err| self.err(err))?;
        tx.commit().map_err(|err| self.err(err))
    }

    fn approval(&self, tenant: &str, id: &str) -> Result<Option<ApprovalRequest>, StoreError> {
        let body: Option<String> = {
            let conn = self.lock();
            conn.prepare_cached("SELECT body FROM approvals WHERE tenant = ?1 AND id = ?2")
                .and_then(|mut s| s.query_row([tenant, id], |r| r.get(0)).optional())
                .map_err(|e| self.err(e))?
        };
        Ok(self.decode_approvals(body.into_iter().collect())?.pop())
    }

    fn approvals(&self, tenant: &str) -> Result<Vec<ApprovalRequest>, StoreError> {
        let bodies = self.query_strings(
            "SELECT body FROM approvals WHERE tenant = ?1 ORDER BY seq",
            [tenant],
        )?;
        self.decode_approvals(bodies)
    }

    fn pending_approvals(&self) -> Result<Vec<ApprovalRequest>, StoreError> {
        let bodies = self.query_strings(
            "SELECT body FROM approvals WHERE status = 'pending' ORDER BY seq",
            [],
        )?;
        self.decode_approvals(bodies)
    }

    fn audit(&self, tenant: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT at_ms, tenant, subject, action, actor, detail FROM audit WHERE tenant = ?1 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([tenant], |r| {
                Ok(AuditEntry {
                    at_ms: r.get(0)?,
                    tenant: r.get(1)?,
                    subject: r.get(2)?,
                    action: r.get(3)?,
                    actor: r.get(4)?,
                    detail: r.get(5)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::store::tests::{TempDir, contract, spend};

    #[test]
    fn sqlite_store_meets_the_store_contract() {
        let dir = TempDir::new("contract");
        contract(&SqliteStore::open(&dir.0).unwrap());
    }

    #[test]
    fn sqlite_store_meets_the_store_contract_with_fsync_per_answer() {
        let dir = TempDir::new("contract-per-answer");
        contract(&SqliteStore::open_with(&dir.0, SpendSync::PerAnswer).unwrap());
    }

    #[test]
    fn sqlite_store_uses_wal_and_full_sync_for_approvals() {
        let dir = TempDir::new("pragmas");
        let store = SqliteStore::open(&dir.0).unwrap();
        // Periodic-fsync spend commits on the writer's own connection:
        // approvals and audit entries still commit with FULL.
        assert!(
            store
                .record_spend(&spend("r1", "acme", None, "1", 5))
                .unwrap()
        );
        let conn = store.lock();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "FULL");
    }

    #[test]
    fn sqlite_store_keeps_data_across_reopen() {
        let dir = TempDir::new("reopen");
        {
            let store = SqliteStore::open(&dir.0).unwrap();
            assert!(
                store
                    .record_spend(&spend("r1", "acme", None, "1.25", 5))
                    .unwrap()
            );
        }
        let store = SqliteStore::open(&dir.0).unwrap();
        let rows = store.spend_since(0).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].cost_usd.to_string(), "1.25");
        assert!(
            !store
                .record_spend(&spend("r1", "acme", None, "1.25", 6))
                .unwrap(),
            "replay after restart"
        );
    }

    #[test]
    fn periodic_fsync_flushes_the_wal_file() {
        let dir = TempDir::new("flush");
        let every = std::time::Duration::from_millis(30);
        let store = SqliteStore::open_with(&dir.0, SpendSync::Periodic(every)).unwrap();
        assert!(
            store
                .record_spend(&spend("r1", "acme", None, "1", 5))
                .unwrap()
        );
        let wal = wal_path(store.path());
        assert!(
            wal.metadata().unwrap().len() > 0,
            "the record is in the WAL"
        );
        sync_file(&wal).expect("the WAL file can be fsynced");
        assert!(
            sync_file(&dir.0.join("absent-wal")).is_ok(),
            "no WAL, nothing to flush"
        );
        // The writer's own flush runs within the interval (spend_writer's tests
        // count it); the next record still commits after it.
        std::thread::sleep(every * 3);
        assert!(
            store
                .record_spend(&spend("r2", "acme", None, "1", 6))
                .unwrap()
        );
        assert_eq!(store.spend_since(0).unwrap().len(), 2);
    }

    #[test]
    fn garbage_database_file_is_a_corrupt_error() {
        let dir = TempDir::new("garbage");
        std::fs::create_dir_all(&dir.0).unwrap();
        std::fs::write(dir.0.join(DB_FILE), vec![0x5a_u8; 8192]).unwrap();
        let err = SqliteStore::open(&dir.0).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains(DB_FILE), "{err}");
    }

    #[test]
    fn read_only_data_directory_is_an_unwritable_error() {
        let dir = TempDir::new("readonly");
        std::fs::create_dir_all(&dir.0).unwrap();
        std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o555)).unwrap();
        let err = SqliteStore::open(&dir.0).unwrap_err();
        assert!(matches!(err, StoreError::Unwritable { .. }), "{err}");
        assert!(err.to_string().contains("not writable"), "{err}");
    }

    #[test]
    fn data_dir_that_is_a_file_is_an_unwritable_error() {
        let dir = TempDir::new("isfile");
        std::fs::write(&dir.0, b"x").unwrap();
        let err = SqliteStore::open(&dir.0).unwrap_err();
        let _ = std::fs::remove_file(&dir.0);
        assert!(matches!(err, StoreError::Unwritable { .. }), "{err}");
    }
}
