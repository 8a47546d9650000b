//! The workspace shell's parts: the store with undo history, the sidebar,
//! notices, the confirmation dialog, the share/import/export panels and the
//! browser glue (storage, address, clipboard, files).

pub mod autosave;
pub mod browser;
pub mod dialog;
pub mod document_head;
pub mod import_files;
pub mod notices;
pub mod opening;
pub mod panels;
pub mod share_link;
pub mod sidebar;
pub mod startup;
pub mod store;
