//! One run, played back (filled in once the engine's playback lands).

use std::rc::Rc;

use ecs_engine::workspace::run::Run;
use yew::prelude::*;

use crate::workspace::notices::Notice;

#[derive(Properties, PartialEq)]
pub struct RunViewProps {
    pub run: Rc<Run>,
    pub embed: bool,
    pub on_change: Callback<Run>,
    pub on_save: Callback<Run>,
    pub on_notice: Callback<Notice>,
}

#[function_component(RunView)]
pub fn run_view(props: &RunViewProps) -> Html {
    html! { <section class="run" aria-label="Run"><h2>{ &props.run.title }</h2></section> }
}
