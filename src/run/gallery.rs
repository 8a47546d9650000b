//! The gallery: a card for each guided scenario (what it shows, what to look
//! for, what to try), filtered by topic, each opened, linked or embedded.

use std::rc::Rc;

use ecs_engine::workspace::parse_value;
use ecs_engine::workspace::run::{gallery_files, gallery_name, guide_of, Guide};
use yew::prelude::*;

use super::fetch::fetch_text;
use super::route::{embed_snippet, scenario_link};
use crate::workspace::browser;
use crate::workspace::notices::{Notice, Tone};

/// Where the scenarios are served, relative to the run page.
pub const SCENARIOS_URL: &str = "../scenarios/";

#[derive(Clone, PartialEq)]
pub struct Card {
    pub name: String,
    pub guide: Guide,
}

#[derive(Clone, PartialEq)]
enum Loading {
    Pending,
    Failed(String),
    Loaded(Rc<Vec<Card>>),
}

async fn load_cards() -> Result<Vec<Card>, String> {
    let index = fetch_text(&format!("{SCENARIOS_URL}index.json")).await?;
    let index =
        parse_value(&index).map_err(|e| format!("The gallery's index is not valid JSON: {e}"))?;
    let mut cards = Vec::new();
    for file in gallery_files(&index) {
        let Some(name) = gallery_name(&file) else {
            continue;
        };
        // One unreadable scenario leaves the others on show.
        let Ok(text) = fetch_text(&format!("{SCENARIOS_URL}{file}")).await else {
            continue;
        };
        let Ok(value) = parse_value(&text) else {
            continue;
        };
        cards.push(Card {
            name,
            guide: guide_of(&value),
        });
    }
    Ok(cards)
}

/// The topics in the order the chips show them, with their labels.
const TOPICS: &[(&str, &str)] = &[
    ("placement", "Placement"),
    ("deployments", "Deployments"),
    ("capacity", "Capacity"),
    ("service-connect", "Service Connect"),
    ("failures", "Failures"),
];

fn topic_label(topic: &str) -> String {
    TOPICS
        .iter()
        .find(|(t, _)| *t == topic)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| topic.to_string())
}

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub on_notice: Callback<Notice>,
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    let loading = use_state(|| Loading::Pending);
    let topic = use_state(|| None::<String>);
    {
        let loading = loading.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                loading.set(match load_cards().await {
                    Ok(cards) => Loading::Loaded(Rc::new(cards)),
                    Err(e) => Loading::Failed(e),
                });
            });
        });
    }
    let cards = match &*loading {
        Loading::Pending => {
            return html! { <p class="run-loading" role="status">{ "Loading the gallery…" }</p> }
        }
        Loading::Failed(message) => {
            return html! { <p class="notice notice-error" role="alert">{ format!("The gallery could not be loaded: {message}") }</p> }
        }
        Loading::Loaded(cards) => cards.clone(),
    };
    let chip = |value: Option<&str>, label: String| {
        let pressed = topic.as_deref() == value;
        let onclick = {
            let (topic, value) = (topic.clone(), value.map(str::to_string));
            Callback::from(move |_: MouseEvent| topic.set(value.clone()))
        };
        html! { <button type="button" class="chip" aria-pressed={pressed.to_string()} onclick={onclick}>{ label }</button> }
    };
    let shown: Vec<&Card> = cards
        .iter()
        .filter(|c| topic.as_ref().is_none_or(|t| c.guide.topics.contains(t)))
        .collect();
    html! {
        <section class="gallery" aria-labelledby="gallery-heading">
            <div class="gallery-head">
                <h2 id="gallery-heading">{ "Scenario gallery" }</h2>
                <p class="gallery-intro">{ "Guided runs of the simulated ECS: open one, press play, then try the suggested change and watch what ECS does." }</p>
                <div class="chips" role="group" aria-label="Filter by topic">
                    { chip(None, "All".into()) }
                    { for TOPICS.iter().map(|(t, l)| chip(Some(t), l.to_string())) }
                </div>
            </div>
            <ul class="cards">
                { for shown.into_iter().map(|card| html! { <ScenarioCard card={card.clone()} on_notice={props.on_notice.clone()} /> }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    card: Card,
    on_notice: Callback<Notice>,
}

#[function_component(ScenarioCard)]
fn scenario_card(props: &CardProps) -> Html {
    let Card { name, guide } = &props.card;
    let copy = |text: String, done: &'static str| {
        let on_notice = props.on_notice.clone();
        Callback::from(move |_: MouseEvent| {
            let (text, on_notice) = (text.clone(), on_notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let notice = match browser::copy(text.clone()).await {
                    Ok(()) => Notice::new(Tone::Info, done),
                    Err(_) => Notice::new(
                        Tone::Warning,
                        format!("This browser did not allow copying. Copy it by hand: {text}"),
                    ),
                };
                on_notice.emit(notice);
            });
        })
    };
    let heading = format!("card-{name}");
    html! {
        <li class="card" aria-labelledby={heading.clone()}>
            <h3 id={heading}>{ &guide.title }</h3>
            <ul class="topic-tags" aria-label="Topics">
                { for guide.topics.iter().map(|t| html! { <li class="topic-tag">{ topic_label(t) }</li> }) }
            </ul>
            <p class="card-description">{ &guide.description }</p>
            if !guide.look_for.is_empty() {
                <h4>{ "What to look for" }</h4>
                <ul class="look-for">{ for guide.look_for.iter().map(|l| html! { <li>{ l }</li> }) }</ul>
            }
            if !guide.suggested_action.is_empty() {
                <p class="suggested"><span class="suggested-label">{ "Try: " }</span>{ &guide.suggested_action }</p>
            }
            <div class="card-actions">
                <a class="button button-primary" href={format!("#gallery={name}")} aria-label={format!("Open {}", guide.title)}>{ "Open" }</a>
                <button type="button" class="button" aria-label={format!("Copy link to {}", guide.title)}
                    onclick={copy(scenario_link(name), "Link copied to the clipboard.")}>{ "Copy link" }</button>
                <button type="button" class="button" aria-label={format!("Copy embed snippet for {}", guide.title)}
                    onclick={copy(embed_snippet(name, &guide.title), "Embed snippet copied to the clipboard.")}>{ "Copy embed" }</button>
            </div>
        </li>
    }
}
