//! A confirmation as a modal `<dialog>`: the browser traps focus, Escape
//! cancels, and screen readers announce its title and text.

use web_sys::HtmlDialogElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub open: bool,
    pub title: AttrValue,
    pub body: AttrValue,
    pub confirm_label: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[function_component(ConfirmDialog)]
pub fn confirm_dialog(props: &ConfirmDialogProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(props.open, move |open| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if *open && !d.open() {
                    let _ = d.show_modal();
                } else if !*open && d.open() {
                    d.close();
                }
            }
        });
    }
    let confirm = {
        let on_confirm = props.on_confirm.clone();
        Callback::from(move |_: MouseEvent| on_confirm.emit(()))
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    // Escape closes the dialog natively; the app's state follows.
    let on_close = {
        let on_cancel = props.on_cancel.clone();
        let open = props.open;
        Callback::from(move |_: Event| {
            if open {
                on_cancel.emit(())
            }
        })
    };
    html! {
        <dialog ref={dialog} class="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-body" onclose={on_close}>
            <h2 id="confirm-title">{ props.title.clone() }</h2>
            <p id="confirm-body">{ props.body.clone() }</p>
            <div class="dialog-actions">
                <button type="button" class="button" onclick={cancel} autofocus=true>{ "Keep my work" }</button>
                <button type="button" class="button button-primary" onclick={confirm}>{ props.confirm_label.clone() }</button>
            </div>
        </dialog>
    }
}
