//! Messages to the user: errors, warnings and confirmations, each dismissible.

use std::rc::Rc;

use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tone {
    Info,
    Warning,
    Error,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
    /// Offer an Undo button beside the message.
    pub undo: bool,
}

impl Notice {
    pub fn new(tone: Tone, text: impl Into<String>) -> Notice {
        Notice {
            tone,
            text: text.into(),
            undo: false,
        }
    }

    pub fn with_undo(mut self) -> Notice {
        self.undo = true;
        self
    }
}

/// The notices on screen, each with an id for dismissing.
#[derive(Default, PartialEq)]
pub struct Notices {
    pub items: Vec<(u32, Notice)>,
    next: u32,
}

pub enum NoticeAction {
    Push(Notice),
    Dismiss(u32),
    /// Replaces the notices that offer Undo (a newer undo replaces an older one).
    ClearUndo,
}

impl Reducible for Notices {
    type Action = NoticeAction;

    fn reduce(self: Rc<Self>, action: NoticeAction) -> Rc<Self> {
        let mut items = self.items.clone();
        let mut next = self.next;
        match action {
            NoticeAction::Push(notice) => {
                // The same message twice is shown once.
                if !items.iter().any(|(_, n)| *n == notice) {
                    if notice.undo {
                        items.retain(|(_, n)| !n.undo);
                    }
                    items.push((next, notice));
                    next += 1;
                }
                // Only the latest few stay.
                while items.len() > 4 {
                    items.remove(0);
                }
            }
            NoticeAction::Dismiss(id) => items.retain(|(i, _)| *i != id),
            NoticeAction::ClearUndo => items.retain(|(_, n)| !n.undo),
        }
        Rc::new(Notices { items, next })
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticeListProps {
    pub notices: Vec<(u32, Notice)>,
    pub on_dismiss: Callback<u32>,
    pub on_undo: Callback<()>,
}

#[function_component(NoticeList)]
pub fn notice_list(props: &NoticeListProps) -> Html {
    let items = props.notices.iter().map(|(id, notice)| {
        let (class, role) = match notice.tone {
            Tone::Error => ("notice notice-error", "alert"),
            Tone::Warning => ("notice notice-warning", "alert"),
            Tone::Info => ("notice notice-info", "status"),
        };
        let dismiss = {
            let (on_dismiss, id) = (props.on_dismiss.clone(), *id);
            Callback::from(move |_: MouseEvent| on_dismiss.emit(id))
        };
        let undo = {
            let (on_undo, on_dismiss, id) = (props.on_undo.clone(), props.on_dismiss.clone(), *id);
            Callback::from(move |_: MouseEvent| {
                on_undo.emit(());
                on_dismiss.emit(id);
            })
        };
        html! {
            <div class={class} role={role} data-testid="notice">
                <p class="notice-text">{ &notice.text }</p>
                if notice.undo { <button type="button" class="button notice-button" onclick={undo}>{ "Undo" }</button> }
                <button type="button" class="icon-button" aria-label="Dismiss message" onclick={dismiss}><span aria-hidden="true">{ "×" }</span></button>
            </div>
        }
    });
    html! { <div class="notices">{ for items }</div> }
}
