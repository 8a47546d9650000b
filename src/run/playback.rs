//! Playback: the clock that moves virtual time while playing, the bar with
//! play/pause, speed, event steps and the scrubber, and the keyboard keys.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ecs_engine::sim::core::format_time;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The animation-frame callback, which schedules itself again.
type FrameCallback = Closure<dyn FnMut(f64)>;

/// Virtual seconds per real second.
pub const SPEEDS: &[u32] = &[1, 10, 60, 300];
pub const DEFAULT_SPEED: u32 = 60;

/// The next event time after `at`, or the end.
pub fn next_event(times: &[u64], at: u64, end: u64) -> u64 {
    let i = times.partition_point(|t| *t <= at);
    times.get(i).copied().unwrap_or(end).min(end)
}

/// The last event time before `at`, or 0.
pub fn previous_event(times: &[u64], at: u64) -> u64 {
    let i = times.partition_point(|t| *t < at);
    i.checked_sub(1)
        .and_then(|i| times.get(i))
        .copied()
        .unwrap_or(0)
}

/// Moves `at` forward in real time while `playing`; stops at `end`.
#[hook]
pub fn use_playback_clock(
    playing: UseStateHandle<bool>,
    at: UseStateHandle<u64>,
    at_now: Rc<Cell<u64>>,
    speed: u32,
    end: u64,
) {
    let is_playing = *playing;
    use_effect_with((is_playing, speed, end), move |_| {
        let frame_id = Rc::new(Cell::new(None::<i32>));
        let window = web_sys::window();
        let tick: Rc<RefCell<Option<FrameCallback>>> = Rc::default();
        if is_playing {
            let last = Rc::new(Cell::new(None::<f64>));
            let (tick_again, frame_again, window_again) =
                (tick.clone(), frame_id.clone(), window.clone());
            *tick.borrow_mut() = Some(Closure::new(move |now: f64| {
                if let Some(before) = last.get() {
                    let elapsed = (now - before).clamp(0.0, 250.0);
                    let step = (elapsed * f64::from(speed)) as u64;
                    let next = at_now.get().saturating_add(step).min(end);
                    at_now.set(next);
                    at.set(next);
                    if next >= end {
                        playing.set(false);
                        return;
                    }
                }
                last.set(Some(now));
                if let (Some(w), Some(cb)) = (&window_again, tick_again.borrow().as_ref()) {
                    frame_again.set(w.request_animation_frame(cb.as_ref().unchecked_ref()).ok());
                }
            }));
            if let (Some(w), Some(cb)) = (&window, tick.borrow().as_ref()) {
                frame_id.set(w.request_animation_frame(cb.as_ref().unchecked_ref()).ok());
            }
        }
        move || {
            if let (Some(w), Some(id)) = (&window, frame_id.get()) {
                let _ = w.cancel_animation_frame(id);
            }
            // Breaks the closure's reference to itself.
            tick.borrow_mut().take();
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct PlaybackBarProps {
    pub at: u64,
    pub end: u64,
    pub playing: bool,
    pub speed: u32,
    pub event_times: Rc<Vec<u64>>,
    pub on_seek: Callback<u64>,
    pub on_play: Callback<bool>,
    pub on_speed: Callback<u32>,
}

#[function_component(PlaybackBar)]
pub fn playback_bar(props: &PlaybackBarProps) -> Html {
    let (at, end) = (props.at, props.end);
    let toggle = {
        let (on_play, on_seek, playing) =
            (props.on_play.clone(), props.on_seek.clone(), props.playing);
        Callback::from(move |_: MouseEvent| {
            // Play from the start again once the end is reached.
            if !playing && at >= end {
                on_seek.emit(0);
            }
            on_play.emit(!playing)
        })
    };
    let previous = {
        let (on_seek, times) = (props.on_seek.clone(), props.event_times.clone());
        Callback::from(move |_: MouseEvent| on_seek.emit(previous_event(&times, at)))
    };
    let next = {
        let (on_seek, times) = (props.on_seek.clone(), props.event_times.clone());
        Callback::from(move |_: MouseEvent| on_seek.emit(next_event(&times, at, end)))
    };
    let scrub = {
        let on_seek = props.on_seek.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(value) = input.value().parse::<u64>() {
                    on_seek.emit(value.saturating_mul(1000).min(end));
                }
            }
        })
    };
    let speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(value) = select.value().parse::<u32>() {
                    on_speed.emit(value);
                }
            }
        })
    };
    let readout = format!("{} / {}", format_time(at), format_time(end));
    html! {
        <div class="playback" role="group" aria-label="Playback">
            <button type="button" class="button button-primary play" onclick={toggle} aria-keyshortcuts="Space">
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" class="button" onclick={previous} disabled={at == 0} aria-keyshortcuts="ArrowLeft">{ "◀ Previous event" }</button>
            <button type="button" class="button" onclick={next} disabled={at >= end} aria-keyshortcuts="ArrowRight">{ "Next event ▶" }</button>
            <div class="scrub">
                <input type="range" min="0" max={(end / 1000).to_string()} step="1" value={(at / 1000).to_string()}
                    aria-label="Virtual time" aria-valuetext={readout.clone()} oninput={scrub} />
                <output class="time-readout" data-testid="time-readout" aria-label="Virtual time">{ readout }</output>
            </div>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select onchange={speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            <p class="keys-hint">
                <kbd>{ "Space" }</kbd>{ " play/pause · " }<kbd>{ "←" }</kbd>{ " " }<kbd>{ "→" }</kbd>{ " previous/next event · " }
                <kbd>{ "," }</kbd>{ " " }<kbd>{ "." }</kbd>{ " one second back/forward" }
            </p>
        </div>
    }
}

/// The playback keys, on the document: Space plays or pauses, ←/→ step
/// between events, ,/. move one second. Keys with a modifier, and keys typed
/// into a field or pressed on a control that uses them, are left alone.
#[hook]
pub fn use_playback_keys(on_key: Callback<PlaybackKey>) {
    use_effect_with(on_key, move |on_key| {
        let on_key = on_key.clone();
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                return;
            }
            let tag = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| el.tag_name().to_ascii_lowercase())
                .unwrap_or_default();
            let in_field = matches!(tag.as_str(), "input" | "select" | "textarea");
            let key = match e.key().as_str() {
                " " if !in_field && !matches!(tag.as_str(), "button" | "a" | "summary") => {
                    PlaybackKey::Toggle
                }
                "ArrowLeft" if !in_field => PlaybackKey::PreviousEvent,
                "ArrowRight" if !in_field => PlaybackKey::NextEvent,
                "," if !in_field => PlaybackKey::Back,
                "." if !in_field => PlaybackKey::Forward,
                _ => return,
            };
            e.prevent_default();
            on_key.emit(key);
        });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &document {
            let _ =
                d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &document {
                let _ = d.remove_event_listener_with_callback(
                    "keydown",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PlaybackKey {
    Toggle,
    PreviousEvent,
    NextEvent,
    Back,
    Forward,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_steps_find_the_neighbouring_times() {
        let times = [1000, 5000, 9000];
        let cases = [
            (0, 1000, 0),
            (1000, 5000, 0),
            (3000, 5000, 1000),
            (9000, 20_000, 5000),
            (20_000, 20_000, 9000),
        ];
        for (at, next, previous) in cases {
            assert_eq!(next_event(&times, at, 20_000), next, "next after {at}");
            assert_eq!(previous_event(&times, at), previous, "previous before {at}");
        }
        assert_eq!(next_event(&[], 5, 10), 10);
    }
}
