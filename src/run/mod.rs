//! The run page: a scenario (the user's workspace or a gallery one) recorded
//! by the engine and played back, with the deployment timeline, events, task
//! details, explanations and actions. Built as its own wasm
//! (`ecs-playground-run`, `run.html`), so the authoring page does not carry it.

pub mod actions;
pub mod charts;
pub mod chunks;
pub mod cluster_map;
pub mod console;
pub mod edit;
pub mod events;
pub mod explain;
pub mod fetch;
pub mod gallery;
pub mod lessons;
pub mod playback;
pub mod route;
pub mod view;

use std::rc::Rc;

use ecs_engine::lesson::Lesson;
use ecs_engine::workspace::parse_value;
use ecs_engine::workspace::run::{Run, RunSource, RUN_STORAGE_KEY};
use ecs_engine::workspace::scenario::{to_scenario, ScenarioSettings};
use ecs_engine::workspace::storage::{self, STORAGE_KEY};
use yew::prelude::*;

use crate::theme::ThemeSwitch;
use crate::workspace::browser;
use crate::workspace::notices::{Notice, NoticeAction, NoticeList, Notices, Tone};
use gallery::{Gallery, SCENARIOS_URL};
use lessons::list::LessonList;
use lessons::{LoadedLesson, LESSONS_URL};
use route::Route;
use view::RunView;

/// Mounts the run page on `#app`, or on the body.
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<RunApp>::with_root(root).render();
        }
        None => {
            yew::Renderer::<RunApp>::new().render();
        }
    }
}

fn stored_run() -> Option<Run> {
    browser::load(RUN_STORAGE_KEY)
        .ok()
        .flatten()
        .and_then(|text| Run::load(&text))
}

/// The user's workspace as a run: the stored run when it was made from the
/// same workspace (so its actions survive a reload), else a fresh one.
fn workspace_run(stored: Option<String>) -> (Run, Vec<Notice>) {
    let workspace = storage::load(stored.as_deref()).workspace;
    let export = to_scenario(&workspace, &ScenarioSettings::default());
    let notices = export
        .skipped
        .iter()
        .map(|s| {
            Notice::new(
                Tone::Warning,
                format!("{} is left out of the run: {}", s.name, s.reason),
            )
        })
        .collect();
    let run = match stored_run() {
        Some(run) if run.source == RunSource::Workspace && run.base == export.scenario => run,
        _ => Run::new(RunSource::Workspace, export.scenario),
    };
    (run, notices)
}

/// Fetches lesson `id`, then shows it on its run: the stored run when it is
/// this lesson's (so the learner's actions survive a reload), else a fresh
/// run of the lesson's scenario.
fn load_lesson(
    id: String,
    embed: bool,
    loaded: UseStateHandle<Loaded>,
    lesson: UseStateHandle<Option<LoadedLesson>>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let url = format!("{LESSONS_URL}{id}.json");
        let read = fetch::fetch_text(&url)
            .await
            .and_then(|text| Lesson::parse(&text))
            .map(|lesson| (lesson.view(), lesson));
        match read {
            Ok((parsed, document)) => {
                let source = RunSource::Lesson { id: id.clone() };
                let run = match stored_run().filter(|r| !embed && r.source == source) {
                    Some(run) if run.base == parsed.scenario => run,
                    _ => {
                        // A fresh lesson run starts where the lesson expects
                        // the learner's first call (its scenario has set the
                        // scene by then), so console lines land after it.
                        let mut run = Run::new(source, parsed.scenario.clone());
                        run.position_ms = parsed
                            .steps
                            .first()
                            .and_then(|s| s.solution_at_ms)
                            .unwrap_or(0);
                        run
                    }
                };
                lesson.set(Some(LoadedLesson {
                    view: Rc::new(parsed),
                    lesson: Rc::new(document),
                }));
                loaded.set(Loaded::Ready(Rc::new(run)));
            }
            Err(e) => loaded.set(Loaded::Failed(format!(
                "The lesson {id} could not be opened. {e}"
            ))),
        }
    });
}

/// The run a `#run=` link carries (a saved run, deflated in the share
/// links' format), opened as it is.
fn load_linked_run(link: String, loaded: UseStateHandle<Loaded>) {
    wasm_bindgen_futures::spawn_local(async move {
        let read = match ecs_engine::share::split_link(&link) {
            Ok(split) => crate::workspace::share_link::inflate(&split)
                .await
                .map_err(|e| e.to_string())
                .and_then(|json| {
                    std::str::from_utf8(&json)
                        .ok()
                        .and_then(Run::load)
                        .ok_or_else(|| "it does not hold a run".to_string())
                }),
            Err(e) => Err(e.to_string()),
        };
        loaded.set(match read {
            Ok(run) => Loaded::Ready(Rc::new(run)),
            Err(e) => Loaded::Failed(format!("The linked run could not be opened. {e}")),
        });
    });
}

#[derive(Clone, PartialEq)]
enum Loaded {
    Nothing,
    Loading(String),
    Failed(String),
    Ready(Rc<Run>),
}

#[function_component(RunApp)]
pub fn run_app() -> Html {
    let embed = use_memo((), |_| browser::is_embed());
    let embed = *embed;
    let route = use_state(Route::current);
    let loaded = use_state(|| Loaded::Nothing);
    let lesson = use_state(|| None::<LoadedLesson>);
    let notices = use_reducer(Notices::default);
    let on_notice = {
        let notices = notices.clone();
        Callback::from(move |n: Notice| notices.dispatch(NoticeAction::Push(n)))
    };

    // Following links inside the page (gallery cards, the header).
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = browser::WindowListener::new("hashchange", move |_: Event| {
                route.set(Route::current())
            });
            move || drop(listener)
        });
    }

    {
        let (loaded, route_handle, on_notice, lesson) = (
            loaded.clone(),
            route.clone(),
            on_notice.clone(),
            lesson.clone(),
        );
        use_effect_with((*route).clone(), move |route| match route {
            Route::Gallery | Route::Lessons => {
                lesson.set(None);
                loaded.set(Loaded::Nothing)
            }
            Route::Lesson(id) => {
                lesson.set(None);
                loaded.set(Loaded::Loading(id.clone()));
                load_lesson(id.clone(), embed, loaded, lesson);
            }
            Route::LastRun => match stored_run().filter(|_| !embed) {
                Some(Run {
                    source: RunSource::Lesson { id },
                    ..
                }) => route_handle.set(Route::Lesson(id)),
                Some(run) => {
                    lesson.set(None);
                    loaded.set(Loaded::Ready(Rc::new(run)))
                }
                None => route_handle.set(Route::Gallery),
            },
            Route::Workspace => {
                lesson.set(None);
                // A large workspace is in IndexedDB: read asynchronously.
                loaded.set(Loaded::Loading("your workspace".into()));
                let (on_notice, loaded) = (on_notice.clone(), loaded.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let stored = browser::load_workspace(STORAGE_KEY).await.ok().flatten();
                    let (run, messages) = workspace_run(stored);
                    for message in messages {
                        on_notice.emit(message);
                    }
                    loaded.set(Loaded::Ready(Rc::new(run)));
                });
            }
            Route::Link(link) => {
                lesson.set(None);
                loaded.set(Loaded::Loading("the linked run".into()));
                load_linked_run(link.clone(), loaded);
            }
            Route::Scenario(name) => {
                lesson.set(None);
                let source = RunSource::Gallery { name: name.clone() };
                match stored_run().filter(|r| !embed && r.source == source) {
                    Some(run) => loaded.set(Loaded::Ready(Rc::new(run))),
                    None => {
                        loaded.set(Loaded::Loading(name.clone()));
                        let name = name.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            let url = format!("{SCENARIOS_URL}{name}.json");
                            let result = fetch::fetch_text(&url).await.and_then(|text| {
                                parse_value(&text)
                                    .map_err(|e| format!("{url} is not valid JSON: {e}"))
                            });
                            loaded.set(match result {
                                Ok(value) => Loaded::Ready(Rc::new(Run::new(source, value))),
                                Err(e) => Loaded::Failed(format!(
                                    "The scenario {name} could not be opened. {e}"
                                )),
                            });
                        });
                    }
                }
            }
        });
    }

    // The run is kept under its own key, never over the workspace; embeds
    // keep nothing.
    let save = {
        let on_notice = on_notice.clone();
        Callback::from(move |run: Run| {
            if !embed {
                if let Err(message) = browser::store(RUN_STORAGE_KEY, &run.save()) {
                    on_notice.emit(Notice::new(Tone::Warning, message));
                }
            }
        })
    };
    let on_change = {
        let (loaded, save) = (loaded.clone(), save.clone());
        Callback::from(move |run: Run| {
            save.emit(run.clone());
            loaded.set(Loaded::Ready(Rc::new(run)));
        })
    };

    let content = match &*loaded {
        Loaded::Nothing if *route == Route::Lessons => html! { <LessonList /> },
        Loaded::Nothing => html! { <Gallery on_notice={on_notice.clone()} /> },
        Loaded::Loading(name) => {
            html! { <p class="run-loading" role="status">{ format!("Loading {name}…") }</p> }
        }
        Loaded::Failed(message) => html! {
            <div class="run-failed">
                <p class="notice notice-error" role="alert">{ message }</p>
                <a class="button" href="#gallery">{ "Back to the gallery" }</a>
            </div>
        },
        Loaded::Ready(run) => html! {
            <RunView run={run.clone()} embed={embed} on_change={on_change} on_save={save} on_notice={on_notice.clone()} lesson={(*lesson).clone()} />
        },
    };
    let on_gallery = matches!(*route, Route::Gallery);
    html! {
        <div class={classes!("page", "run-page", embed.then_some("embed"))}>
            if !embed {
                <header class="topbar">
                    <h1 class="brand">{ "ECS Playground" }</h1>
                    <nav class="run-nav" aria-label="Pages">
                        <a class="nav-link" href="../">{ "Editor" }</a>
                        <a class="nav-link" href="#workspace" aria-current={(*route == Route::Workspace).then_some("page")}>{ "Run your workspace" }</a>
                        <a class="nav-link" href="#gallery" aria-current={on_gallery.then_some("page")}>{ "Gallery" }</a>
                        <a class="nav-link" href="#lessons" aria-current={matches!(*route, Route::Lessons | Route::Lesson(_)).then_some("page")}>{ "Lessons" }</a>
                    </nav>
                    <div class="header-tools"><ThemeSwitch /></div>
                </header>
            }
            <NoticeList notices={notices.items.clone()} on_dismiss={Callback::from({ let n = notices.clone(); move |id| n.dispatch(NoticeAction::Dismiss(id)) })} on_undo={Callback::noop()} />
            <main class="run-main">{ content }</main>
        </div>
    }
}
