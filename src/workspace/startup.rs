//! What the page opens with: the saved workspace (migrated or recovered when
//! needed), a share link in the address, or in embed mode the link's
//! workspace alone. Everything the user should know becomes a notice.
//!
//! The browser inflates a share link, and reads a workspace too large for
//! localStorage from IndexedDB, asynchronously: [`read_address_link`] and
//! [`read_saved`] first, then [`startup`] with what they read (see
//! `opening.rs`). A stored copy that could not be read in full is kept under
//! [`BACKUP_KEY`] before the page opens ([`keep_backup`]), in IndexedDB when
//! it is too large for localStorage.

use ecs_engine::share::{self, ShareError};
use ecs_engine::workspace::storage::{self, LoadOutcome, BACKUP_KEY, STORAGE_KEY};
use ecs_engine::workspace::{default_workspace, Workspace};

use super::browser;
use super::notices::{Notice, Tone};
use super::share_link;

#[derive(PartialEq)]
pub struct Startup {
    pub embed: bool,
    pub workspace: Workspace,
    /// In embed mode, what Reset goes back to.
    pub original: Workspace,
    pub notices: Vec<Notice>,
    /// A shared workspace waiting for the user to confirm replacing their work.
    pub pending_link: Option<Workspace>,
    /// Saving is off because the stored copy could not be backed up first.
    pub save_blocked: bool,
    /// The stored copy that could not be read in full, to be kept under
    /// [`BACKUP_KEY`] before anything is saved over it ([`keep_backup`]);
    /// saving is off until then.
    pub backup: Option<String>,
}

/// Whether the address holds a share link (even a damaged one) to read before
/// the page opens.
pub fn address_has_share_link() -> bool {
    share::looks_like_share_link(&browser::fragment())
}

/// The share link in the address, if any, read.
pub async fn read_address_link() -> Option<Result<Workspace, ShareError>> {
    let fragment = browser::fragment();
    if !share::looks_like_share_link(&fragment) {
        return None;
    }
    Some(share_link::decode(&fragment).await)
}

/// The saved workspace's text, wherever it is kept (localStorage or IndexedDB).
pub async fn read_saved() -> Result<Option<String>, String> {
    browser::load_workspace(STORAGE_KEY).await
}

/// What the page opens with, given the share link in the address and the
/// saved workspace, read.
pub fn startup(
    link: Option<Result<Workspace, ShareError>>,
    saved: Result<Option<String>, String>,
) -> Startup {
    let embed = browser::is_embed();
    let mut notices = Vec::new();
    if embed {
        let workspace = match link {
            Some(Ok(ws)) => ws,
            Some(Err(e)) => {
                notices.push(Notice::new(
                    Tone::Error,
                    format!("{e} The example workspace is shown instead."),
                ));
                default_workspace()
            }
            None => default_workspace(),
        };
        return Startup {
            embed,
            original: workspace.clone(),
            workspace,
            notices,
            pending_link: None,
            save_blocked: true,
            backup: None,
        };
    }

    let stored = match saved {
        Ok(stored) => stored,
        Err(message) => {
            notices.push(Notice::new(Tone::Warning, message));
            None
        }
    };
    let loaded = storage::load(stored.as_deref());
    let backup = stored.filter(|_| loaded.outcome.keep_raw_copy());
    // Never overwrite the only copy: saving waits for the backup.
    let save_blocked = backup.is_some();
    if let Some(message) = loaded.outcome.message() {
        notices.push(Notice::new(Tone::Warning, message));
    }
    let mut workspace = loaded.workspace;
    let mut pending_link = None;
    match link {
        Some(Ok(shared)) => {
            if loaded.outcome == LoadOutcome::Fresh || shared == workspace {
                workspace = shared;
                notices.push(Notice::new(Tone::Info, "Opened the shared workspace."));
            } else {
                pending_link = Some(shared);
            }
            browser::clear_fragment();
        }
        Some(Err(e)) => {
            notices.push(Notice::new(
                Tone::Error,
                format!("{e} Your current work is unchanged."),
            ));
            browser::clear_fragment();
        }
        None => {}
    }
    Startup {
        embed,
        original: workspace.clone(),
        workspace,
        notices,
        pending_link,
        save_blocked,
        backup,
    }
}

/// Keeps `start`'s stored copy that could not be read in full under
/// [`BACKUP_KEY`], where the workspace itself would be kept (localStorage, or
/// IndexedDB when it is too large for it: a damaged multi-megabyte
/// workspace), then lets saving go on; when the browser refuses, saving stays
/// off and the page says why.
pub async fn keep_backup(mut start: Startup) -> Startup {
    let Some(raw) = start.backup.take() else {
        return start;
    };
    match browser::store_workspace(BACKUP_KEY, &raw).await {
        Ok(()) => start.save_blocked = false,
        Err(message) => start.notices.push(Notice::new(
            Tone::Error,
            format!(
                "{message} Saving is paused so that your earlier saved work is not overwritten."
            ),
        )),
    }
    start
}
