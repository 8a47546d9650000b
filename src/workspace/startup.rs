//! What the page opens with: the saved workspace (migrated or recovered when
//! needed), a share link in the address, or in embed mode the link's
//! workspace alone. Everything the user should know becomes a notice.

use ecs_engine::share;
use ecs_engine::workspace::storage::{self, LoadOutcome, BACKUP_KEY, STORAGE_KEY};
use ecs_engine::workspace::{default_workspace, Workspace};

use super::browser;
use super::notices::{Notice, Tone};

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
}

pub fn startup() -> Startup {
    let embed = browser::is_embed();
    let fragment = browser::fragment();
    let link = share::looks_like_share_link(&fragment).then(|| share::decode(&fragment));
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
        };
    }

    let mut save_blocked = false;
    let stored = match browser::load(STORAGE_KEY) {
        Ok(stored) => stored,
        Err(message) => {
            notices.push(Notice::new(Tone::Warning, message));
            None
        }
    };
    let loaded = storage::load(stored.as_deref());
    if loaded.outcome.keep_raw_copy() {
        if let Some(raw) = &stored {
            if let Err(message) = browser::store(BACKUP_KEY, raw) {
                // Never overwrite the only copy.
                save_blocked = true;
                notices.push(Notice::new(Tone::Error, format!("{message} Saving is paused so that your earlier saved work is not overwritten.")));
            }
        }
    }
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
    }
}
