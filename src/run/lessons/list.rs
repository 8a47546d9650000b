//! The lessons list: the path of lessons from `lessons/index.json`, in
//! order, each with the learner's progress from the browser. The index is
//! read by the engine here (a few fields); a lesson's document is fetched
//! and read only when the lesson is opened.

use std::rc::Rc;

use ecs_engine::lesson::{path_from_index, LessonCard};
use yew::prelude::*;

use super::progress;
use super::LESSONS_URL;
use crate::run::fetch::fetch_text;

#[derive(Clone, PartialEq)]
enum Loading {
    Pending,
    Failed(String),
    Loaded(Rc<Vec<LessonCard>>),
}

#[function_component(LessonList)]
pub fn lesson_list() -> Html {
    let loading = use_state(|| Loading::Pending);
    {
        let loading = loading.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = fetch_text(&format!("{LESSONS_URL}index.json"))
                    .await
                    .and_then(|text| path_from_index(&text));
                loading.set(match result {
                    Ok(cards) => Loading::Loaded(Rc::new(cards)),
                    Err(e) => Loading::Failed(e),
                });
            });
        });
    }
    let cards = match &*loading {
        Loading::Pending => {
            return html! { <p class="run-loading" role="status">{ "Loading the lessons…" }</p> }
        }
        Loading::Failed(message) => {
            return html! { <p class="notice notice-error" role="alert">{ format!("The lessons could not be loaded: {message}") }</p> }
        }
        Loading::Loaded(cards) => cards.clone(),
    };
    let all = progress::load_all();
    html! {
        <section class="lessons" aria-labelledby="lessons-heading">
            <h2 id="lessons-heading">{ "Learn ECS by doing" }</h2>
            <p class="gallery-intro">{ "A path of lessons from a first task definition to Service Connect. Each step sets a goal that the simulator checks against your run; type the calls in the aws ecs console or use the actions." }</p>
            <ol class="lesson-path">
                { for cards.iter().enumerate().map(|(i, card)| {
                    let done = all.get(&card.id).map_or(0, |p| p.done.len());
                    let heading = format!("lesson-card-{}", card.id);
                    html! {
                        <li class="card lesson-card" aria-labelledby={heading.clone()} data-testid="lesson-card">
                            <span class="lesson-number" aria-hidden="true">{ i + 1 }</span>
                            <h3 id={heading}>{ &card.title }</h3>
                            <p class="card-description">{ &card.summary }</p>
                            if done > 0 {
                                <p class="lesson-progress">{ format!("{done} step{} done", if done == 1 { "" } else { "s" }) }</p>
                            }
                            <div class="card-actions">
                                <a class="button button-primary" href={format!("#lesson={}", card.id)} aria-label={format!("Start {}", card.title)}>
                                    { if done > 0 { "Continue" } else { "Start" } }
                                </a>
                            </div>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
