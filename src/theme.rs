//! The theme switch: system (the default), light, dark or high contrast.
//!
//! The choice is stored in localStorage and applied as `data-theme` on the
//! root element; without one, styles.css follows `prefers-color-scheme` and
//! `prefers-contrast: more`.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

const STORAGE_KEY: &str = "ecs-playground.theme";

/// (value, label) for each choice; the value is what `data-theme` holds.
pub const THEMES: &[(&str, &str)] = &[
    ("system", "System"),
    ("light", "Light"),
    ("dark", "Dark"),
    ("contrast", "High contrast"),
];

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored_theme() -> String {
    local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .filter(|v| THEMES.iter().any(|(value, _)| value == v))
        .unwrap_or_else(|| "system".to_string())
}

fn apply(theme: &str) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = if theme == "system" {
            root.remove_attribute("data-theme")
        } else {
            root.set_attribute("data-theme", theme)
        };
    }
}

#[function_component(ThemeSwitch)]
pub fn theme_switch() -> Html {
    let theme = use_state(stored_theme);
    use_effect_with((*theme).clone(), |theme| apply(theme));
    let onchange = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                if let Some(storage) = local_storage() {
                    // A full or disabled storage only loses the preference.
                    let _ = storage.set_item(STORAGE_KEY, &value);
                }
                theme.set(value);
            }
        })
    };
    html! {
        <label class="theme-switch">
            <span class="theme-switch-label">{ "Theme" }</span>
            <select onchange={onchange}>
                { for THEMES.iter().map(|(value, label)| html! {
                    <option value={*value} selected={*theme == *value}>{ *label }</option>
                }) }
            </select>
        </label>
    }
}
