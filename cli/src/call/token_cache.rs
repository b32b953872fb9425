//! `call`'s OAuth token cache: the runtime's [`TokenStore`] in a file, so that the next
//! `call` with the same token endpoint, client and scopes reuses the access token until it
//! expires (and a rotated refresh token is kept). One file per (token URL, client id,
//! scopes) under `$XDG_CACHE_HOME/connectorkit/tokens` (else `~/.cache/…`), written with
//! mode 0600; `--token-cache FILE` picks the file, `--no-token-cache` turns it off.

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use connectorkit::oauth::StoreFuture;
use connectorkit::{Secret, StoredToken, TokenStore};
use serde_json::{json, Value};

/// Tokens in a JSON file.
#[derive(Debug)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at `path`.
    pub fn new(path: PathBuf) -> Self {
        FileTokenStore { path }
    }

    /// The default file for these settings (`None` without a home or cache folder).
    pub fn default_path(token_url: &str, client_id: &str, scopes: &[String]) -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
        // FNV-1a: a stable name, not a security boundary.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in format!("{token_url}\n{client_id}\n{}", scopes.join(" ")).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Some(
            base.join("connectorkit/tokens")
                .join(format!("{h:016x}.json")),
        )
    }

    fn read(&self) -> Option<StoredToken> {
        let v: Value = serde_json::from_slice(&std::fs::read(&self.path).ok()?).ok()?;
        Some(StoredToken {
            access_token: Secret::from(v.get("access_token")?.as_str()?.to_string()),
            refresh_token: v
                .get("refresh_token")
                .and_then(Value::as_str)
                .map(|s| Secret::from(s.to_string())),
            expires_at: v
                .get("expires_at")
                .and_then(Value::as_u64)
                .map(|s| UNIX_EPOCH + Duration::from_secs(s)),
        })
    }

    fn write(&self, t: &StoredToken) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let v = json!({
            "access_token": t.access_token.expose(),
            "refresh_token": t.refresh_token.as_ref().map(|r| r.expose()),
            "expires_at": t.expires_at.and_then(|e| e.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs()),
        });
        let tmp = self.path.with_extension("tmp");
        {
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o600);
            }
            let mut f = o.open(&tmp)?;
            std::io::Write::write_all(&mut f, v.to_string().as_bytes())?;
        }
        std::fs::rename(&tmp, &self.path)
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> StoreFuture<'_, Option<StoredToken>> {
        Box::pin(async move {
            // An expired access token is still worth loading for its refresh token; the
            // provider decides.
            Ok(self.read())
        })
    }

    fn save(&self, token: StoredToken) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.write(&token).map_err(|e| {
                connectorkit::TokenError::new(format!("cannot write the token cache: {e}"))
            })
        })
    }
}
