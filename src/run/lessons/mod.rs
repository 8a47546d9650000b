//! Lessons on the run page: the list (`list.rs`) and the lesson panel shown
//! above a lesson's run. The page reads the lesson (`Lesson::parse`,
//! `Lesson::view`) and renders the `LessonView`; a step's goal is checked by
//! the engine (`Lesson::check`) against the recording the page already
//! shows (the lesson's scenario with the learner's actions and console lines
//! appended), from `Lesson::learner_from`; a prediction is judged by
//! `Prediction::is_right` and its answer and arithmetic are the lesson's.
//! The page keeps only progress (`progress.rs`). A presenter mode
//! for trainers: large type, one step at a time, and the steps' notes pinned
//! on the timeline at their solution's time.

pub mod list;
pub mod progress;

use std::rc::Rc;

use ecs_engine::lesson::{Lesson, LessonView, Verdict};
use ecs_engine::sim::core::format_time;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::view::Recorded;
use progress::LessonProgress;

/// Where the lessons are served, relative to the run page.
pub const LESSONS_URL: &str = "../lessons/";

/// A loaded lesson: as the engine read it (its goals and answers, to check
/// and judge) and as the page shows it. Compared by identity (it is read
/// once).
#[derive(Clone)]
pub struct LoadedLesson {
    pub view: Rc<LessonView>,
    pub lesson: Rc<Lesson>,
}

impl PartialEq for LoadedLesson {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: LoadedLesson,
    /// The recording of the run, which the goals are checked against.
    pub recorded: Recorded,
    pub end: u64,
    /// The current virtual time.
    pub at: u64,
    pub on_seek: Callback<u64>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let loaded = props.lesson.clone();
    let lesson = loaded.view.clone();
    let id = lesson.id.clone();
    let progress = use_state({
        let id = id.clone();
        move || progress::load(&id)
    });
    let verdict = use_state(|| None::<(usize, Result<Verdict, String>)>);
    let presenter = use_state(|| false);
    let guess_input = use_node_ref();
    let save_error = use_state(|| None::<String>);

    // A verdict is of one recording: a new action makes it stale.
    {
        let verdict = verdict.clone();
        use_effect_with(props.recorded.clone(), move |_| verdict.set(None));
    }

    let count = lesson.steps.len();
    let current = progress.step.min(count.saturating_sub(1));
    let update = {
        let (progress, id, save_error) = (progress.clone(), id.clone(), save_error.clone());
        move |next: LessonProgress| {
            save_error.set(progress::store(&id, &next).err());
            progress.set(next);
        }
    };
    // Going to a step moves playback forward to where the lesson expects its
    // calls, if it stands earlier.
    let go_to = {
        let (progress, update, verdict, lesson, on_seek, at) = (
            progress.clone(),
            update.clone(),
            verdict.clone(),
            lesson.clone(),
            props.on_seek.clone(),
            props.at,
        );
        move |step: usize| {
            if let Some(t) = lesson.steps.get(step).and_then(|s| s.solution_at_ms) {
                if t > at {
                    on_seek.emit(t);
                }
            }
            let mut next = (*progress).clone();
            next.step = step;
            verdict.set(None);
            update(next);
        }
    };
    let on_check = {
        let (document, recorded, progress, update, verdict) = (
            loaded.lesson.clone(),
            props.recorded.clone(),
            progress.clone(),
            update.clone(),
            verdict.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let result = document
                .check(current, &recorded.0, document.learner_from())
                .ok_or_else(|| format!("the lesson has no step {}", current + 1));
            if let Ok(result) = &result {
                if result.met && !progress.is_done(current) {
                    let mut next = (*progress).clone();
                    next.mark_done(current);
                    update(next);
                }
            }
            verdict.set(Some((current, result)));
        })
    };
    let on_hint = {
        let (progress, update) = (progress.clone(), update.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*progress).clone();
            let shown = next.hints_shown(current);
            next.hints.insert(current, shown + 1);
            update(next);
        })
    };
    let on_predict = {
        let (progress, update, guess_input) =
            (progress.clone(), update.clone(), guess_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let guess = guess_input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            if guess.trim().is_empty() {
                return;
            }
            let mut next = (*progress).clone();
            next.predictions.insert(current, guess.trim().to_string());
            update(next);
        })
    };
    let on_presenter = {
        let presenter = presenter.clone();
        Callback::from(move |_: MouseEvent| presenter.set(!*presenter))
    };
    let on_restart = {
        let (update, verdict) = (update.clone(), verdict.clone());
        Callback::from(move |_: MouseEvent| {
            verdict.set(None);
            update(LessonProgress::default());
        })
    };

    let Some(step) = lesson.steps.get(current) else {
        return html! {};
    };
    let done_all = (0..count).all(|i| progress.is_done(i));
    let hints_shown = progress.hints_shown(current).min(step.hints.len());

    let step_nav = html! {
        <nav class="lesson-steps" aria-label="Steps">
            <ol>
                { for lesson.steps.iter().enumerate().map(|(i, s)| {
                    let onclick = { let go_to = go_to.clone(); Callback::from(move |_: MouseEvent| go_to(i)) };
                    let done = progress.is_done(i);
                    html! {
                        <li>
                            <button type="button" class={classes!("lesson-step-link", done.then_some("done"))}
                                aria-current={(i == current).then_some("step")} onclick={onclick}>
                                <span class="step-mark" aria-hidden="true">{ if done { "✓" } else { "" } }</span>
                                { format!("{}. {}", i + 1, s.title) }
                                if done { <span class="visually-hidden">{ " (done)" }</span> }
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    };

    let prediction = step.predict.as_ref().map(|predict| {
        let guess = progress.predictions.get(&current);
        match guess {
            None => html! {
                <form class="prediction" onsubmit={on_predict.clone()} data-testid="prediction">
                    <label for="prediction-input"><strong>{ "Predict first: " }</strong>{ &predict.question }</label>
                    <div class="prediction-row">
                        <input id="prediction-input" ref={guess_input.clone()} type="text" class="prediction-input" autocomplete="off" />
                        <button type="submit" class="button">{ "Reveal the answer" }</button>
                    </div>
                </form>
            },
            Some(guess) => {
                let right = loaded
                    .lesson
                    .steps
                    .get(current)
                    .and_then(|s| s.predict.as_ref())
                    .is_some_and(|p| p.is_right(guess));
                html! {
                    <div class={classes!("prediction", "revealed", if right { "right" } else { "wrong" })} role="status" data-testid="prediction">
                        <p><strong>{ "Prediction: " }</strong>{ &predict.question }</p>
                        <p class="prediction-verdict" data-testid="prediction-verdict">
                            { if right { format!("You said {guess}: right.") } else { format!("You said {guess}: not quite.") } }
                        </p>
                        <p data-testid="prediction-answer"><strong>{ format!("Answer: {}. ", predict.answer_text) }</strong>{ &predict.arithmetic }</p>
                    </div>
                }
            }
        }
    });

    let verdict_view = match &*verdict {
        Some((step_index, Err(message))) if *step_index == current => html! {
            <p class="notice notice-error" role="alert">{ format!("The run could not be checked: {message}") }</p>
        },
        Some((step_index, Ok(v))) if *step_index == current => {
            let next_step = current + 1 < count;
            let go_next = {
                let go_to = go_to.clone();
                Callback::from(move |_: MouseEvent| go_to(current + 1))
            };
            html! {
                <div class={classes!("verdict", if v.met { "met" } else { "not-met" })} role="status" data-testid="verdict">
                    <p><strong>{ if v.met { "Goal met. " } else { "Not yet. " } }</strong>{ &v.detail }</p>
                    if v.met && next_step {
                        <button type="button" class="button button-primary" onclick={go_next}>{ "Next step" }</button>
                    }
                </div>
            }
        }
        _ => html! {},
    };
    let finished = done_all.then(|| {
        html! {
            <div class="lesson-complete" role="status" data-testid="lesson-complete">
                <p><strong>{ "Lesson complete." }</strong>{ " Every step's goal was met in your run." }</p>
                if let Some(next) = &lesson.next {
                    <a class="button button-primary" href={format!("#lesson={next}")}>{ "Next lesson" }</a>
                }
                <a class="button" href="#lessons">{ "All lessons" }</a>
            </div>
        }
    });

    let presenting = *presenter;
    let pager = presenting.then(|| {
        let prev = {
            let go_to = go_to.clone();
            Callback::from(move |_: MouseEvent| go_to(current.saturating_sub(1)))
        };
        let next = {
            let go_to = go_to.clone();
            Callback::from(move |_: MouseEvent| go_to((current + 1).min(count - 1)))
        };
        html! {
            <div class="lesson-pager">
                <button type="button" class="button" onclick={prev} disabled={current == 0}>{ "Previous step" }</button>
                <button type="button" class="button" onclick={next} disabled={current + 1 >= count}>{ "Next step" }</button>
            </div>
        }
    });

    html! {
        <section class={classes!("panel", "lesson", presenting.then_some("presenter"))} aria-labelledby="lesson-title" data-testid="lesson">
            <div class="lesson-head">
                <h3 id="lesson-title">{ format!("Lesson: {}", lesson.title) }</h3>
                <div class="lesson-tools">
                    <a class="button small" href="#lessons">{ "All lessons" }</a>
                    <button type="button" class="button small" aria-pressed={presenting.to_string()} onclick={on_presenter}>{ "Presenter mode" }</button>
                    <button type="button" class="button small" onclick={on_restart}>{ "Restart progress" }</button>
                </div>
            </div>
            if !presenting { <p class="lesson-summary">{ &lesson.summary }</p> }
            if !presenting { { step_nav } }
            <div class="lesson-step" data-testid="lesson-step">
                <h4>{ format!("Step {} of {count}: {}", current + 1, step.title) }</h4>
                <p class="lesson-text">{ &step.text }</p>
                { for prediction }
                <div class="lesson-actions">
                    <button type="button" class="button button-primary" onclick={on_check}>{ "Check my run" }</button>
                    <button type="button" class="button" onclick={on_hint} disabled={hints_shown >= step.hints.len()}>
                        { if hints_shown >= step.hints.len() { "No more hints".to_string() } else { format!("Show a hint ({} of {})", hints_shown + 1, step.hints.len()) } }
                    </button>
                </div>
                if hints_shown > 0 {
                    <ol class="hints" aria-label="Hints" data-testid="hints">
                        { for step.hints.iter().take(hints_shown).map(|h| html! { <li>{ h }</li> }) }
                    </ol>
                }
                { verdict_view }
                if presenting {
                    if let Some(notes) = &step.notes {
                        <aside class="lesson-notes" aria-label="Trainer's note"><strong>{ "Trainer's note: " }</strong>{ notes }</aside>
                    }
                }
                { for pager }
            </div>
            if presenting { { notes_timeline(&lesson, current, props.end, &props.on_seek) } }
            { for finished }
            if let Some(message) = &*save_error {
                <p class="notice notice-warning" role="alert">{ format!("Progress could not be kept in this browser: {message}") }</p>
            }
        </section>
    }
}

/// The steps' notes pinned on the run's timeline, each at its solution's
/// virtual time; a pin seeks there.
fn notes_timeline(lesson: &LessonView, current: usize, end: u64, on_seek: &Callback<u64>) -> Html {
    let pins: Vec<(usize, u64, &str)> = lesson
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.solution_at_ms?, s.notes.as_deref()?)))
        .collect();
    if pins.is_empty() {
        return html! {};
    }
    let end = end.max(1);
    html! {
        <div class="notes-timeline">
            <h4 class="visually-hidden">{ "Trainer's notes on the timeline" }</h4>
            <svg class="notes-track" viewBox="0 0 1000 28" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <line x1="0" y1="14" x2="1000" y2="14" class="notes-axis" />
                { for pins.iter().map(|(i, at, _)| {
                    let x = (at.min(&end) * 1000 / end).to_string();
                    html! { <circle cx={x} cy="14" r="7" class={classes!("notes-pin", (*i == current).then_some("current"))} /> }
                }) }
            </svg>
            <ol class="notes-list">
                { for pins.iter().map(|(i, at, note)| {
                    let onclick = { let (on_seek, at) = (on_seek.clone(), *at); Callback::from(move |_: MouseEvent| on_seek.emit(at)) };
                    html! {
                        <li class={classes!((*i == current).then_some("current"))}>
                            <button type="button" class="row-button" onclick={onclick}>{ format!("{} · step {}", format_time(*at), i + 1) }</button>
                            { format!(" {note}") }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}
