//! The heat map's pixels, computed in Rust and handed to the canvas in one
//! `putImageData`: at 5,000 instances that is several times quicker than
//! thousands of `fillRect` calls, each parsing a colour string. Pure, so it is
//! tested natively.

use super::Grid;
use crate::run::cluster_map::cells::{CellContext, Phase, PALETTE};
use ecs_engine::place::InstanceStatus;
use ecs_engine::sim::playback::InstanceView;
use ecs_engine::sim::state::HealthStatus;

pub type Rgb = [u8; 3];

/// The theme's colours, parsed once per draw.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatPalette {
    pub services: [Rgb; PALETTE as usize],
    pub standalone: Rgb,
    pub track: Rgb,
    pub warning: Rgb,
    pub error: Rgb,
    pub focus: Rgb,
    pub text: Rgb,
}

impl Default for HeatPalette {
    fn default() -> Self {
        HeatPalette {
            services: [
                [0x00, 0x72, 0xb2],
                [0xd5, 0x5e, 0x00],
                [0x00, 0x9e, 0x73],
                [0xcc, 0x79, 0xa7],
                [0x7a, 0x5c, 0xc9],
                [0xb5, 0x89, 0x00],
                [0x3e, 0x8f, 0xb0],
                [0x8c, 0x56, 0x4b],
            ],
            standalone: [0x6b, 0x76, 0x83],
            track: [0xe9, 0xed, 0xf2],
            warning: [0x9a, 0x67, 0x00],
            error: [0xc6, 0x28, 0x28],
            focus: [0x0b, 0x62, 0xc4],
            text: [0x1b, 0x1f, 0x24],
        }
    }
}

/// `#rgb`, `#rrggbb`, `rgb(r, g, b)` or `rgba(r, g, b, a)` as the browser reports a custom property.
pub fn parse_colour(text: &str) -> Option<Rgb> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        let digit = |i: usize| {
            hex.get(i..i + 1)
                .and_then(|d| u8::from_str_radix(d, 16).ok())
        };
        return match hex.len() {
            3 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
            6 | 8 => {
                let byte = |i: usize| {
                    hex.get(i..i + 2)
                        .and_then(|d| u8::from_str_radix(d, 16).ok())
                };
                Some([byte(0)?, byte(2)?, byte(4)?])
            }
            _ => None,
        };
    }
    let inner = text
        .strip_prefix("rgba(")
        .or_else(|| text.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut parts = inner.split([',', ' ']).filter(|p| !p.is_empty());
    let mut channel = || {
        parts
            .next()?
            .parse::<f64>()
            .ok()
            .map(|v| v.clamp(0.0, 255.0) as u8)
    };
    Some([channel()?, channel()?, channel()?])
}

/// An RGBA image of `width` × `height` device pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl Raster {
    pub fn new(width: u32, height: u32) -> Raster {
        Raster {
            width,
            height,
            data: vec![0; width as usize * height as usize * 4],
        }
    }

    /// Paints `colour` at `alpha` (0–255) over what is there; clipped to the image.
    pub fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, colour: Rgb, alpha: u8) {
        let (x1, y1) = ((x + w).min(self.width), (y + h).min(self.height));
        if x >= x1 || y >= y1 {
            return;
        }
        let a = u32::from(alpha);
        for row in y..y1 {
            let start = (row as usize * self.width as usize + x as usize) * 4;
            let end = (row as usize * self.width as usize + x1 as usize) * 4;
            let Some(pixels) = self.data.get_mut(start..end) else {
                continue;
            };
            for px in pixels.chunks_exact_mut(4) {
                if alpha == 255 || px[3] == 0 {
                    px[..3].copy_from_slice(&colour);
                    px[3] = if px[3] == 0 { alpha } else { 255 };
                } else {
                    for c in 0..3 {
                        px[c] =
                            ((u32::from(colour[c]) * a + u32::from(px[c]) * (255 - a)) / 255) as u8;
                    }
                }
            }
        }
    }

    /// A rectangle's outline, `t` pixels thick, inside the rectangle.
    pub fn outline(&mut self, x: u32, y: u32, w: u32, h: u32, t: u32, colour: Rgb) {
        self.fill(x, y, w, t, colour, 255);
        self.fill(x, (y + h).saturating_sub(t), w, t, colour, 255);
        self.fill(x, y, t, h, colour, 255);
        self.fill((x + w).saturating_sub(t), y, t, h, colour, 255);
    }

    #[cfg(test)]
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        let p = self.data.get(i..i + 4)?;
        Some([p[0], p[1], p[2], p[3]])
    }
}

/// Draws one square per instance in `grid` at `ratio` device pixels per CSS pixel.
pub fn rasterize(
    list: &[InstanceView],
    cells: &CellContext,
    grid: &Grid,
    ratio: f64,
    palette: &HeatPalette,
    selected: Option<&str>,
    cursor: Option<usize>,
) -> Raster {
    let ratio = ratio.clamp(1.0, 3.0);
    let cell = ((grid.cell * ratio).round() as u32).max(2);
    let gap = ((if grid.cell >= 10.0 { 2.0 } else { 1.0 }) * ratio).round() as u32;
    let inner = cell.saturating_sub(gap).max(1);
    let width = ((grid.width * ratio).round() as u32).max(grid.columns as u32 * cell);
    let mut raster = Raster::new(width, grid.rows as u32 * cell);
    let ring = (ratio.round() as u32).max(1);
    for (i, instance) in list.iter().enumerate() {
        let x = (i % grid.columns) as u32 * cell;
        let y = (i / grid.columns) as u32 * cell;
        raster.fill(x, y, inner, inner, palette.track, 255);
        let n = instance.tasks.len() as u32;
        for (k, task) in instance.tasks.iter().enumerate() {
            let k = k as u32;
            let (tx, tx1) = (x + inner * k / n.max(1), x + inner * (k + 1) / n.max(1));
            let tw = tx1.saturating_sub(tx).max(1);
            let colour = match task.service {
                Some(_) => palette
                    .services
                    .get((task.service_index % PALETTE) as usize)
                    .copied()
                    .unwrap_or(palette.standalone),
                None => palette.standalone,
            };
            let old = cells.is_old(task);
            match Phase::of(task) {
                Phase::Running => {
                    raster.fill(tx, y, tw, inner, colour, if old { 115 } else { 255 })
                }
                // Starting: the lower half only, so it reads as "not there yet".
                Phase::Starting => {
                    let half = inner / 2;
                    raster.fill(
                        tx,
                        y + half,
                        tw,
                        inner - half,
                        colour,
                        if old { 90 } else { 150 },
                    );
                }
                Phase::Stopping => raster.fill(tx, y, tw, inner, colour, 64),
                Phase::Stopped => {}
            }
            if task.health == HealthStatus::Unhealthy {
                raster.fill(tx, y, tw, (inner / 4).max(1), palette.error, 255);
            }
        }
        let holds_selected = selected.is_some_and(|s| instance.tasks.iter().any(|t| t.id == s));
        if cursor == Some(i) {
            raster.outline(
                x,
                y,
                inner,
                inner,
                ring.max(inner / 6).min(inner / 2).max(1),
                palette.text,
            );
        } else if holds_selected {
            raster.outline(
                x,
                y,
                inner,
                inner,
                ring.max(inner / 6).min(inner / 2).max(1),
                palette.focus,
            );
        } else if instance.status != InstanceStatus::Active || !instance.agent_connected {
            let colour = if instance.agent_connected {
                palette.warning
            } else {
                palette.error
            };
            raster.outline(x, y, inner, inner, ring, colour);
        }
    }
    raster
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_engine::sim::playback::TaskCell;
    use ecs_engine::sim::state::{DesiredStatus, TaskStatus};

    #[test]
    fn colours_parse_as_browsers_report_them() {
        for (text, rgb) in [
            ("#0072b2", Some([0x00, 0x72, 0xb2])),
            (" #fff ", Some([255, 255, 255])),
            ("#11223344", Some([0x11, 0x22, 0x33])),
            ("rgb(1, 2, 3)", Some([1, 2, 3])),
            ("rgba(10 20 30 / .5)", Some([10, 20, 30])),
            ("red", None),
            ("#12", None),
            ("#zzzzzz", None),
            ("", None),
        ] {
            assert_eq!(parse_colour(text), rgb, "{text:?}");
        }
    }

    fn instance(tasks: Vec<TaskCell>, status: InstanceStatus) -> InstanceView {
        InstanceView {
            id: "i-1".into(),
            short_id: String::new(),
            instance_type: "m5.large".into(),
            status,
            agent_connected: true,
            cpu: 2048,
            memory: 7680,
            reserved_cpu: 0,
            reserved_memory: 0,
            tasks,
        }
    }

    fn task(last: TaskStatus, service_index: u32) -> TaskCell {
        TaskCell {
            id: format!("t-{}-{service_index}", last.as_str()),
            service: Some("web".into()),
            service_index,
            deployment_id: None,
            revision: Some(1),
            last_status: last,
            desired_status: DesiredStatus::Running,
            health: HealthStatus::Unknown,
        }
    }

    #[test]
    fn squares_show_tasks_side_by_side_over_the_track() {
        let palette = HeatPalette::default();
        let grid = Grid {
            width: 40.0,
            cell: 20.0,
            columns: 2,
            rows: 1,
        };
        let list = [
            instance(
                vec![task(TaskStatus::Running, 0), task(TaskStatus::Running, 1)],
                InstanceStatus::Active,
            ),
            instance(vec![], InstanceStatus::Draining),
        ];
        let r = rasterize(
            &list,
            &CellContext::default(),
            &grid,
            1.0,
            &palette,
            None,
            None,
        );
        assert_eq!((r.width, r.height), (40, 20));
        let rgb = |x, y| r.pixel(x, y).map(|p| [p[0], p[1], p[2]]);
        assert_eq!(
            rgb(2, 10),
            Some(palette.services[0]),
            "first task on the left"
        );
        assert_eq!(
            rgb(15, 10),
            Some(palette.services[1]),
            "second task on the right"
        );
        assert_eq!(
            r.pixel(19, 10).map(|p| p[3]),
            Some(0),
            "the gap stays transparent"
        );
        assert_eq!(
            rgb(20, 0),
            Some(palette.warning),
            "a draining instance is outlined"
        );
        assert_eq!(rgb(29, 9), Some(palette.track), "and empty inside");
    }

    #[test]
    fn starting_tasks_fill_the_lower_half_only() {
        let palette = HeatPalette::default();
        let grid = Grid {
            width: 20.0,
            cell: 20.0,
            columns: 1,
            rows: 1,
        };
        let r = rasterize(
            &[instance(
                vec![task(TaskStatus::Pending, 0)],
                InstanceStatus::Active,
            )],
            &CellContext::default(),
            &grid,
            1.0,
            &palette,
            None,
            None,
        );
        assert_eq!(
            r.pixel(5, 2).map(|p| [p[0], p[1], p[2]]),
            Some(palette.track)
        );
        assert_ne!(
            r.pixel(5, 15).map(|p| [p[0], p[1], p[2]]),
            Some(palette.track)
        );
    }

    #[test]
    fn fills_are_clipped_to_the_image() {
        let mut r = Raster::new(4, 4);
        r.fill(2, 2, 100, 100, [1, 2, 3], 255);
        r.fill(10, 10, 5, 5, [9, 9, 9], 255);
        assert_eq!(r.pixel(3, 3), Some([1, 2, 3, 255]));
        assert_eq!(r.pixel(1, 1), Some([0, 0, 0, 0]));
    }
}
