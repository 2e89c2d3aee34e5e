//! Secrets at rest. An access key's secret (SK) must be recoverable (HMAC verification needs it)
//! but never stored in plaintext: it is sealed with AES-256-GCM under a master key that lives
//! outside the database, bound to its access key (the AK is the associated data, so a sealed SK
//! copied to another row does not open).
//!
//! Where the master key comes from, in order:
//! 1. `PC_MASTER_KEY`: one or more keys, 64 hex characters each, separated by commas; the first
//!    seals, all of them open (so a rotation can run while old rows remain).
//! 2. `PC_MASTER_KEY_FILE`: a file with one key per line, the first current.
//! 3. Otherwise `master.key` beside the SQLite database file, or `data/master.key` for
//!    PostgreSQL; created with mode 0600 on first start if missing.
//!
//! Several server processes on one PostgreSQL must share the key (set `PC_MASTER_KEY` or point
//! `PC_MASTER_KEY_FILE` at the same file).
//!
//! Stored form: `v1:<key id>:<hex of nonce ‖ ciphertext ‖ tag>`, where the key id is the first 8
//! hex characters of the key's SHA-256, so each row names the key that opens it.

use super::db::Backend;
use crate::error::AppError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const PREFIX: &str = "v1:";

/// One master key and its id.
struct MasterKey {
    id: String,
    cipher: Aes256Gcm,
}

impl MasterKey {
    fn new(bytes: [u8; 32]) -> MasterKey {
        let id = hex::encode(&Sha256::digest(bytes)[..4]);
        MasterKey {
            id,
            cipher: Aes256Gcm::new(&bytes.into()),
        }
    }
}

/// The master keys: the first seals, every one opens. A ring read from a key file follows the
/// file: when it changes (`admin rotate-master-key` in another process), the next seal, or an
/// open that meets an unknown key id, reads it again, so running servers follow a rotation.
pub struct Keyring {
    keys: std::sync::RwLock<Vec<MasterKey>>,
    file: Option<PathBuf>,
    /// The file's (modified time, length) when last read.
    stamp: std::sync::Mutex<Option<(std::time::SystemTime, u64)>>,
    /// Where the keys came from, for messages (never the keys themselves).
    pub source: String,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current_id())
            .field("source", &self.source)
            .finish()
    }
}

fn stamp_of(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s).ok()
}

/// Parses keys, one per line or comma: 64 hex characters each.
fn parse_keys(text: &str) -> Result<Vec<MasterKey>, String> {
    let mut keys = Vec::new();
    for part in text
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('#'))
    {
        let bytes: [u8; 32] = unhex(part)
            .and_then(|b| b.try_into().ok())
            .ok_or("a master key is 64 hexadecimal characters (32 bytes)")?;
        keys.push(MasterKey::new(bytes));
    }
    if keys.is_empty() {
        return Err("no master key given".into());
    }
    Ok(keys)
}

/// A new random key as 64 hex characters.
pub fn generate_key() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// Writes `text` to `path` with mode 0600 without ever replacing an existing file: the text
/// goes to a temporary file that is then hard-linked into place (which fails if another process
/// got there first). Returns whether this call created the file.
fn create_exclusive(path: &Path, text: &str) -> Result<bool, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    write_private(&tmp, text)?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

/// Replaces the key file (mode 0600) atomically.
fn replace_file(path: &Path, text: &str) -> Result<(), String> {
    let tmp = path.with_extension(format!("new{}", std::process::id()));
    write_private(&tmp, text)?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

/// Writes a new file readable by its owner only (mode 0600), synced to disk.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The key file used when neither `PC_MASTER_KEY` nor `PC_MASTER_KEY_FILE` is set.
pub fn default_key_file(backend: Backend, url: &str) -> PathBuf {
    match backend {
        Backend::Sqlite => {
            let rest = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = rest.split('?').next().unwrap_or_default();
            Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("master.key"), |d| d.join("master.key"))
        }
        Backend::Postgres => PathBuf::from("data/master.key"),
    }
}

/// Where the keys are: the environment's keys, or a file.
pub enum KeySource {
    Env(String),
    File(PathBuf),
}

pub fn key_source(backend: Backend, url: &str) -> KeySource {
    if let Some(k) = std::env::var("PC_MASTER_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        return KeySource::Env(k);
    }
    match std::env::var("PC_MASTER_KEY_FILE")
        .ok()
        .filter(|p| !p.trim().is_empty())
    {
        Some(p) => KeySource::File(PathBuf::from(p)),
        None => KeySource::File(default_key_file(backend, url)),
    }
}

impl Keyring {
    fn new(keys: Vec<MasterKey>, file: Option<PathBuf>, source: String) -> Keyring {
        let stamp = file.as_deref().and_then(stamp_of);
        Keyring {
            keys: std::sync::RwLock::new(keys),
            file,
            stamp: std::sync::Mutex::new(stamp),
            source,
        }
    }

    /// Loads the keys for the database at `url`, creating the key file on first start.
    pub fn load(backend: Backend, url: &str) -> Result<Keyring, String> {
        match key_source(backend, url) {
            KeySource::Env(text) => Ok(Keyring::new(
                parse_keys(&text).map_err(|e| format!("PC_MASTER_KEY: {e}"))?,
                None,
                "PC_MASTER_KEY".into(),
            )),
            KeySource::File(path) => Keyring::load_file(&path),
        }
    }

    /// Loads the keys in `path`, creating the file with a new key when missing.
    pub fn load_file(path: &std::path::Path) -> Result<Keyring, String> {
        if !path.exists() && create_exclusive(path, &format!("{}\n", generate_key()))? {
            tracing::info!(file = %path.display(), "created a new master key (mode 0600)");
        }
        Keyring::from_file(path)
    }

    fn from_file(path: &Path) -> Result<Keyring, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the master key {}: {e}", path.display()))?;
        Ok(Keyring::new(
            parse_keys(&text).map_err(|e| format!("{}: {e}", path.display()))?,
            Some(path.to_path_buf()),
            path.display().to_string(),
        ))
    }

    #[cfg(test)]
    fn from_hex(keys: &str) -> Keyring {
        Keyring::new(parse_keys(keys).expect("test keys"), None, "test".into())
    }

    /// Reads the key file again if it changed since it was last read.
    fn refresh(&self) {
        let Some(path) = &self.file else {
            return;
        };
        let now = stamp_of(path);
        let mut stamp = self.stamp.lock().unwrap_or_else(|e| e.into_inner());
        if now.is_none() || now == *stamp {
            return;
        }
        match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_keys(&t))
        {
            Ok(mut keys) => {
                // The file's keys first (its first seals from now on); keys this process knew
                // stay behind them until it restarts, so nothing it sealed becomes unreadable.
                let mut held = self.keys.write().unwrap_or_else(|e| e.into_inner());
                for old in held.drain(..) {
                    if !keys.iter().any(|k| k.id == old.id) {
                        keys.push(old);
                    }
                }
                *held = keys;
                *stamp = now;
            }
            Err(e) => {
                tracing::error!(file = %path.display(), error = %e, "the master key file does not parse; keeping the keys in memory")
            }
        }
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> String {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .first()
            .map(|k| k.id.clone())
            .unwrap_or_default()
    }

    /// Seals `secret` for the row of `context` (the access key).
    pub fn seal(&self, context: &str, secret: &str) -> Result<String, AppError> {
        self.refresh();
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let key = keys.first().ok_or(AppError::Internal)?;
        let nonce_bytes: [u8; 12] = rand::random();
        let sealed = key
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce_bytes),
                Payload {
                    msg: secret.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| AppError::Internal)?;
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}:{}", key.id, hex::encode(&out)))
    }

    /// Opens a sealed secret of the row of `context`. A row sealed under a key not in the ring,
    /// or altered, or moved to another row, does not open.
    pub fn open(&self, context: &str, stored: &str) -> Result<String, AppError> {
        let fail = |why: &str| {
            tracing::error!(why, "a stored secret does not open");
            AppError::Internal
        };
        let rest = stored
            .strip_prefix(PREFIX)
            .ok_or_else(|| fail("not sealed"))?;
        let (id, data) = rest.split_once(':').ok_or_else(|| fail("malformed"))?;
        if !self
            .keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|k| k.id == id)
        {
            // Perhaps rotated by another process: read the file again.
            self.refresh();
        }
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let key = keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| fail("sealed under a master key that is not configured"))?;
        let data = unhex(data)
            .filter(|d| d.len() > 12)
            .ok_or_else(|| fail("malformed"))?;
        let (nonce, sealed) = data.split_at(12);
        let plain = key
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| fail("authentication failed"))?;
        String::from_utf8(plain).map_err(|_| fail("not UTF-8"))
    }

    /// Whether a stored value is sealed (as opposed to a plaintext row of an older version).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    /// Whether a stored value is sealed under the current key.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(PREFIX)
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(id, _)| id == self.current_id().as_str())
    }
}

/// Rotates the master key kept in a key file: a new key goes first in the file (the old ones
/// stay, so every row still opens whatever happens next), then the caller re-seals every row,
/// then [`finish_file_rotation`] leaves only the new key. Returns the new keyring.
pub fn begin_file_rotation(path: &Path) -> Result<Keyring, String> {
    let old = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the master key {}: {e}", path.display()))?;
    parse_keys(&old)?;
    let text = format!("{}\n{old}", generate_key());
    replace_file(path, &text)?;
    Keyring::from_file(path)
}

/// Keeps only the current (first) key in the key file, once no row needs the others.
pub fn finish_file_rotation(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the master key {}: {e}", path.display()))?;
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or("the key file is empty")?;
    replace_file(path, &format!("{first}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const K2: &str = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

    #[test]
    fn a_sealed_secret_opens_only_for_its_row_and_key() {
        let ring = Keyring::from_hex(K1);
        let sealed = ring.seal("AK1", "the-secret").unwrap();
        assert!(!sealed.contains("the-secret"));
        assert!(Keyring::is_sealed(&sealed));
        assert_eq!(ring.open("AK1", &sealed).unwrap(), "the-secret");
        // Another row, another key, a flipped byte: none opens.
        assert!(ring.open("AK2", &sealed).is_err());
        assert!(Keyring::from_hex(K2).open("AK1", &sealed).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == '0' { '1' } else { '0' });
        assert!(ring.open("AK1", &tampered).is_err());
        assert!(ring.open("AK1", "plaintext").is_err());
        // Two seals of one secret differ (fresh nonces).
        assert_ne!(sealed, ring.seal("AK1", "the-secret").unwrap());
    }

    #[test]
    fn a_ring_with_the_old_key_opens_old_rows_and_seals_with_the_new() {
        let old = Keyring::from_hex(K1);
        let sealed_old = old.seal("AK", "s").unwrap();
        let both = Keyring::from_hex(&format!("{K2},{K1}"));
        assert_eq!(both.open("AK", &sealed_old).unwrap(), "s");
        assert!(!both.is_current(&sealed_old));
        let sealed_new = both.seal("AK", "s").unwrap();
        assert!(both.is_current(&sealed_new));
        assert!(old.open("AK", &sealed_new).is_err());
    }

    #[test]
    fn a_ring_follows_its_file_through_a_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        create_exclusive(&path, &format!("{K1}\n")).unwrap();
        let server = Keyring::from_file(&path).unwrap();
        let old_row = server.seal("AK", "s").unwrap();
        let rotating = begin_file_rotation(&path).unwrap();
        let new_row = rotating.seal("AK", "s").unwrap();
        finish_file_rotation(&path).unwrap();
        // The running ring meets a row of the new key: it reads the file and opens it, and it
        // seals with the new key from then on.
        assert_eq!(server.open("AK", &new_row).unwrap(), "s");
        assert!(server.is_current(&server.seal("AK", "t").unwrap()));
        assert!(!server.is_current(&old_row));
    }

    #[test]
    fn keys_must_be_32_bytes_of_hex() {
        assert!(parse_keys("abc").is_err());
        assert!(parse_keys("").is_err());
        assert!(parse_keys(&format!("{K1}00")).is_err());
        assert_eq!(
            parse_keys(&format!("# comment\n{K1}\n{K2}\n"))
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn the_key_file_is_created_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        assert!(create_exclusive(&path, "a\n").unwrap());
        assert!(!create_exclusive(&path, "b\n").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            default_key_file(Backend::Sqlite, "sqlite:///tmp/x/pc.db?mode=rwc"),
            PathBuf::from("/tmp/x/master.key")
        );
    }
}
