//! The heat map: one small square per instance, drawn on a canvas, for scopes
//! too large for cards (thousands of instances). A square's fill is its
//! tasks side by side, coloured by service, faded for an older deployment,
//! lower half only while starting, with a red top edge when unhealthy; an
//! instance that is not ACTIVE gets an amber outline. Canvas rather than SVG:
//! at 5,000 instances Yew's diff and the layout of 5,000 SVG rects cost about
//! 95 ms a frame against a few for the canvas (the run bench prints both).
//!
//! Keyboard: the canvas is focusable; arrow keys move a cursor over the
//! instances, Enter opens the one under it. The line under the canvas says
//! which instance the cursor or the mouse is on.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yew::prelude::*;

mod raster;

use super::cells::CellContext;
use super::count;
use ecs_engine::sim::playback::{Frame, InstanceView};
use raster::{parse_colour, rasterize, HeatPalette, Rgb};

#[derive(Properties)]
pub struct HeatMapProps {
    pub frame: Rc<Frame>,
    pub cells: Rc<CellContext>,
    pub cluster: usize,
    pub zone: usize,
    pub group: usize,
    pub selected: Option<String>,
    /// Opens (zooms into) the instance with this id.
    pub on_open: Callback<String>,
}

impl PartialEq for HeatMapProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.frame, &other.frame)
            && (self.cluster, self.zone, self.group) == (other.cluster, other.zone, other.group)
            && self.selected == other.selected
            && self.on_open == other.on_open
    }
}

/// Where the squares are: kept between renders for hit tests and arrow keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub width: f64,
    pub cell: f64,
    pub columns: usize,
    pub rows: usize,
}

impl Grid {
    /// Squares as large as will fit in about `target_height` pixels, between 5 and 28 px.
    pub fn fit(count: usize, width: f64, target_height: f64) -> Grid {
        let width = width.max(120.0);
        let n = count.max(1) as f64;
        let cell = (width * target_height / n).sqrt().floor().clamp(5.0, 28.0);
        let columns = ((width / cell).floor() as usize).max(1);
        let rows = count.div_ceil(columns).max(1);
        Grid {
            width,
            cell,
            columns,
            rows,
        }
    }

    pub fn height(&self) -> f64 {
        self.rows as f64 * self.cell
    }

    /// The instance index under a point in CSS pixels of the drawn canvas.
    pub fn index_at(&self, x: f64, y: f64, count: usize) -> Option<usize> {
        if x < 0.0 || y < 0.0 {
            return None;
        }
        let (col, row) = ((x / self.cell) as usize, (y / self.cell) as usize);
        let index = row * self.columns + col;
        (col < self.columns && index < count).then_some(index)
    }
}

#[derive(Clone)]
struct FramePtr(Rc<Frame>);

impl PartialEq for FramePtr {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn instances(frame: &Frame, cluster: usize, zone: usize, group: usize) -> &[InstanceView] {
    frame
        .clusters
        .get(cluster)
        .and_then(|c| c.zones.get(zone))
        .and_then(|z| z.groups.get(group))
        .map_or(&[], |g| g.instances.as_slice())
}

#[function_component(HeatMap)]
pub fn heat_map(props: &HeatMapProps) -> Html {
    let canvas = use_node_ref();
    let cursor = use_state(|| None::<usize>);
    let hover = use_state(|| None::<usize>);
    let grid = use_mut_ref(|| Cell::new(Grid::fit(0, 960.0, 240.0)));
    let list = instances(&props.frame, props.cluster, props.zone, props.group);
    let total = list.len();

    {
        let (canvas, grid, cells) = (canvas.clone(), grid.clone(), props.cells.clone());
        let deps = (
            FramePtr(props.frame.clone()),
            (props.cluster, props.zone, props.group),
            props.selected.clone(),
            *cursor,
        );
        use_effect_with(deps, move |(frame, (c, z, g), selected, cursor)| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                let list = instances(&frame.0, *c, *z, *g);
                let laid = draw(&el, list, &cells, selected.as_deref(), *cursor);
                grid.borrow().set(laid);
            }
        });
    }

    let describe = |i: usize| {
        list.get(i)
            .map(|inst| describe_instance(inst, &props.cells))
    };
    let status_text = (*cursor)
        .or(*hover)
        .and_then(describe)
        .unwrap_or_else(|| "Point at a square, or focus the map and use the arrow keys; Enter or a click opens the instance.".to_string());

    let point_index = {
        let grid = grid.clone();
        move |e: &MouseEvent| -> Option<usize> {
            let target: HtmlCanvasElement = e.target_dyn_into()?;
            let g = grid.borrow().get();
            let shown = f64::from(target.client_width().max(1));
            let scale = g.width / shown;
            g.index_at(
                f64::from(e.offset_x()) * scale,
                f64::from(e.offset_y()) * scale,
                total,
            )
        }
    };
    let onclick = {
        let (point_index, on_open, cursor) =
            (point_index.clone(), props.on_open.clone(), cursor.clone());
        let frame = props.frame.clone();
        let (c, z, g) = (props.cluster, props.zone, props.group);
        Callback::from(move |e: MouseEvent| {
            if let Some(i) = point_index(&e) {
                cursor.set(Some(i));
                if let Some(inst) = instances(&frame, c, z, g).get(i) {
                    on_open.emit(inst.id.clone());
                }
            }
        })
    };
    let onmousemove = {
        let (point_index, hover) = (point_index, hover.clone());
        Callback::from(move |e: MouseEvent| {
            let i = point_index(&e);
            if i != *hover {
                hover.set(i);
            }
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let onkeydown = {
        let (cursor, grid, on_open, frame) = (
            cursor.clone(),
            grid.clone(),
            props.on_open.clone(),
            props.frame.clone(),
        );
        let (c, z, g) = (props.cluster, props.zone, props.group);
        Callback::from(move |e: KeyboardEvent| {
            if total == 0 {
                return;
            }
            let columns = grid.borrow().get().columns;
            let at = (*cursor).unwrap_or(0).min(total - 1);
            let next = match e.key().as_str() {
                "ArrowRight" => Some((at + 1).min(total - 1)),
                "ArrowLeft" => Some(at.saturating_sub(1)),
                "ArrowDown" => Some((at + columns).min(total - 1)),
                "ArrowUp" => Some(at.saturating_sub(columns)),
                "Home" => Some(0),
                "End" => Some(total - 1),
                "Enter" | " " => {
                    if let Some(inst) = instances(&frame, c, z, g).get(at) {
                        on_open.emit(inst.id.clone());
                    }
                    None
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(next) = next {
                cursor.set(Some(next));
            }
        })
    };
    let onblur = {
        let cursor = cursor.clone();
        Callback::from(move |_: FocusEvent| cursor.set(None))
    };
    let onfocus = {
        let cursor = cursor.clone();
        Callback::from(move |_: FocusEvent| {
            if cursor.is_none() {
                cursor.set(Some(0));
            }
        })
    };

    let tasks: usize = list.iter().map(|i| i.tasks.len()).sum();
    let status_id = format!(
        "heat-status-{}-{}-{}",
        props.cluster, props.zone, props.group
    );
    html! {
        <div class="map-heat">
            <canvas ref={canvas} class="map-heat-canvas" tabindex="0" role="img"
                aria-label={format!("Heat map of {} with {}; arrow keys move between instances, Enter opens one",
                    count(total, "instance", "instances"), count(tasks, "task", "tasks"))}
                aria-describedby={status_id.clone()}
                {onclick} {onmousemove} {onmouseleave} {onkeydown} {onfocus} {onblur}></canvas>
            <p class="map-heat-status" id={status_id} aria-live="polite">{ status_text }</p>
        </div>
    }
}

fn describe_instance(instance: &InstanceView, cells: &CellContext) -> String {
    let mut text = format!(
        "{} · {} · CPU {} / {} · memory {} / {} MiB · {}",
        instance.short_id,
        instance.instance_type,
        instance.reserved_cpu,
        instance.cpu,
        instance.reserved_memory,
        instance.memory,
        count(instance.tasks.len(), "task", "tasks"),
    );
    if instance.status != ecs_engine::place::InstanceStatus::Active {
        text.push_str(" · ");
        text.push_str(instance.status.as_str());
    }
    let mut parts: Vec<String> = Vec::new();
    for task in instance.tasks.iter().take(4) {
        let who = task.service.as_deref().unwrap_or("standalone");
        let rev = task.revision.map(|r| format!(":{r}")).unwrap_or_default();
        let old = if cells.is_old(task) { " (older)" } else { "" };
        parts.push(format!("{who}{rev}{old} {}", task.last_status.as_str()));
    }
    if !parts.is_empty() {
        text.push_str(" — ");
        text.push_str(&parts.join(", "));
    }
    text
}

/// The theme's colours (custom properties in cluster-map.css), falling back to the light theme's.
fn read_palette(el: &HtmlCanvasElement) -> HeatPalette {
    let style = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten());
    let get = |name: &str, fallback: Rgb| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .and_then(|v| parse_colour(&v))
            .unwrap_or(fallback)
    };
    let d = HeatPalette::default();
    let mut services = d.services;
    for (i, colour) in services.iter_mut().enumerate() {
        *colour = get(&format!("--svc-{i}"), *colour);
    }
    HeatPalette {
        services,
        standalone: get("--svc-none", d.standalone),
        track: get("--map-empty", d.track),
        warning: get("--warning", d.warning),
        error: get("--error", d.error),
        focus: get("--focus", d.focus),
        text: get("--text", d.text),
    }
}

/// Draws every square and returns the grid it used.
fn draw(
    el: &HtmlCanvasElement,
    list: &[InstanceView],
    cells: &CellContext,
    selected: Option<&str>,
    cursor: Option<usize>,
) -> Grid {
    let shown = el
        .parent_element()
        .map(|p| f64::from(p.client_width()))
        .filter(|w| *w > 0.0)
        .unwrap_or(960.0);
    let grid = Grid::fit(list.len(), shown, 240.0);
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let raster = rasterize(
        list,
        cells,
        &grid,
        ratio,
        &read_palette(el),
        selected,
        cursor,
    );
    if el.width() != raster.width {
        el.set_width(raster.width);
    }
    if el.height() != raster.height {
        el.set_height(raster.height);
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&raster.data),
        raster.width,
        raster.height,
    );
    let context = el
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok());
    if let (Ok(image), Some(context)) = (image, context) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_fit_the_width_and_keep_squares_readable() {
        for (count, width, columns, cell) in [
            (5000, 1200.0, 171, 7.0),
            (1667, 1200.0, 92, 13.0),
            (61, 800.0, 28, 28.0),
            (200_000, 400.0, 80, 5.0),
        ] {
            let g = Grid::fit(count, width, 240.0);
            assert_eq!((g.columns, g.cell), (columns, cell), "{count} on {width}");
            assert!(g.columns * g.rows >= count);
        }
    }

    #[test]
    fn points_map_to_instances_and_the_margin_to_none() {
        let g = Grid::fit(100, 200.0, 100.0);
        assert_eq!(g.index_at(0.0, 0.0, 100), Some(0));
        assert_eq!(
            g.index_at(g.cell * 1.5, g.cell * 1.5, 100),
            Some(g.columns + 1)
        );
        assert_eq!(g.index_at(-1.0, 0.0, 100), None);
        assert_eq!(g.index_at(0.0, g.cell * 1000.0, 100), None);
        assert_eq!(g.index_at(g.width + 50.0, 0.0, 100), None);
    }
}
