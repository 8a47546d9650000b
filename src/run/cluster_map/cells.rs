//! One task as a cell on the map: colour by service, stripes for an older
//! deployment, shape for the lifecycle state and a mark for health, so that
//! nothing is told by colour alone. Also the reservation bars of an instance.

use std::collections::HashSet;

use yew::prelude::*;

use super::{primary_deployments, Selection};
use crate::run::events::short_id;
use ecs_engine::sim::playback::{Frame, TaskCell};
use ecs_engine::sim::state::{DesiredStatus, HealthStatus, TaskStatus};

/// The service palette has this many colours (`svc-0` … in cluster-map.css).
pub const PALETTE: u32 = 8;

/// Per-frame facts every cell needs.
#[derive(Debug, Default, PartialEq)]
pub struct CellContext {
    pub primary: HashSet<String>,
}

impl CellContext {
    pub fn new(frame: &Frame) -> Self {
        CellContext {
            primary: primary_deployments(frame),
        }
    }

    /// An older deployment's task: one whose deployment is not its service's PRIMARY one.
    pub fn is_old(&self, task: &TaskCell) -> bool {
        task.deployment_id
            .as_ref()
            .is_some_and(|d| !self.primary.contains(d))
    }
}

/// The lifecycle phases the map tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Running,
    Stopping,
    Stopped,
}

impl Phase {
    pub fn of(task: &TaskCell) -> Phase {
        let stopping = task.desired_status == DesiredStatus::Stopped;
        match task.last_status {
            TaskStatus::Stopped => Phase::Stopped,
            TaskStatus::Running if !stopping => Phase::Running,
            status if status.is_starting() && !stopping => Phase::Starting,
            _ => Phase::Stopping,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Phase::Starting => "st-starting",
            Phase::Running => "st-running",
            Phase::Stopping => "st-stopping",
            Phase::Stopped => "st-stopped",
        }
    }
}

pub fn service_class(task: &TaskCell) -> String {
    match task.service {
        Some(_) => format!("svc-{}", task.service_index % PALETTE),
        None => "svc-none".to_string(),
    }
}

pub fn health_class(task: &TaskCell) -> &'static str {
    match task.health.as_str() {
        "HEALTHY" => "h-healthy",
        "UNHEALTHY" => "h-unhealthy",
        _ => "h-unknown",
    }
}

/// The words a screen reader hears for a cell, and the tooltip.
pub fn task_label(cells: &CellContext, task: &TaskCell) -> String {
    let owner = match (&task.service, task.revision) {
        (Some(s), Some(r)) => format!("service {s}, revision {r}"),
        (Some(s), None) => format!("service {s}"),
        (None, Some(r)) => format!("standalone, revision {r}"),
        (None, None) => "standalone".to_string(),
    };
    let old = if cells.is_old(task) {
        ", older deployment"
    } else {
        ""
    };
    let health = match task.health {
        HealthStatus::Healthy => ", healthy",
        HealthStatus::Unhealthy => ", unhealthy",
        HealthStatus::Unknown => "",
    };
    let stopping = if task.desired_status == DesiredStatus::Stopped
        && task.last_status != TaskStatus::Stopped
    {
        ", stopping"
    } else {
        ""
    };
    format!(
        "Task {} ({owner}{old}): {}{stopping}{health}",
        short_id(&task.id),
        task.last_status.as_str()
    )
}

pub fn task_cell(
    cells: &CellContext,
    task: &TaskCell,
    selected: Option<&str>,
    on_select: &Callback<Selection>,
) -> Html {
    let is_selected = selected == Some(task.id.as_str());
    let onclick = {
        let (on_select, id) = (on_select.clone(), task.id.clone());
        Callback::from(move |_: MouseEvent| on_select.emit(Selection::Task(id.clone())))
    };
    let label = task_label(cells, task);
    html! {
        <button type="button"
            class={classes!("cell", service_class(task), Phase::of(task).class(), health_class(task),
                cells.is_old(task).then_some("old"), is_selected.then_some("selected"))}
            aria-label={label.clone()} title={label} aria-pressed={is_selected.to_string()}
            data-task-id={task.id.clone()} onclick={onclick}></button>
    }
}

/// A reserved-versus-registered bar in SVG: widths are attributes, which the
/// page's Content-Security-Policy allows (inline styles it does not).
pub fn usage_bar(label: &str, reserved: u32, registered: u32, unit: &str) -> Html {
    let fraction = if registered == 0 {
        0.0
    } else {
        f64::from(reserved.min(registered)) / f64::from(registered)
    };
    let width = format!("{:.1}", fraction * 100.0);
    let text = format!("{label} {reserved} / {registered}{unit}");
    let full = fraction >= 0.999;
    html! {
        <div class="map-usage">
            <span class="map-usage-label" aria-hidden="true">{ label }</span>
            <svg class="map-usage-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img"
                aria-label={format!("{label}: {reserved} of {registered}{unit} reserved")}>
                <rect class="map-usage-track" x="0" y="0" width="100" height="6" rx="1.5" />
                <rect class={classes!("map-usage-fill", full.then_some("full"))} x="0" y="0" width={width} height="6" rx="1.5" />
            </svg>
            <span class="map-usage-text" aria-hidden="true">{ text.trim_start_matches(label).trim() }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(last: TaskStatus, desired: DesiredStatus) -> TaskCell {
        TaskCell {
            id: "arn:aws:ecs:us-east-1:1:task/c/0123456789abcdef".into(),
            service: Some("web".into()),
            service_index: 9,
            deployment_id: Some("ecs-svc/1".into()),
            revision: Some(2),
            last_status: last,
            desired_status: desired,
            health: HealthStatus::Unknown,
        }
    }

    #[test]
    fn phases_follow_last_and_desired_status() {
        use DesiredStatus as D;
        use TaskStatus as T;
        for (last, desired, phase) in [
            (T::Provisioning, D::Running, Phase::Starting),
            (T::Pending, D::Running, Phase::Starting),
            (T::Activating, D::Running, Phase::Starting),
            (T::Running, D::Running, Phase::Running),
            (T::Running, D::Stopped, Phase::Stopping),
            (T::Pending, D::Stopped, Phase::Stopping),
            (T::Deactivating, D::Stopped, Phase::Stopping),
            (T::Deprovisioning, D::Stopped, Phase::Stopping),
            (T::Stopped, D::Stopped, Phase::Stopped),
        ] {
            assert_eq!(
                Phase::of(&task(last, desired)),
                phase,
                "{}/{}",
                last.as_str(),
                desired.as_str()
            );
        }
    }

    #[test]
    fn older_deployments_are_the_ones_not_primary() {
        let mut cells = CellContext::default();
        cells.primary.insert("ecs-svc/2".into());
        let old = task(TaskStatus::Running, DesiredStatus::Running);
        let mut new = old.clone();
        new.deployment_id = Some("ecs-svc/2".into());
        let mut standalone = old.clone();
        standalone.deployment_id = None;
        assert!(cells.is_old(&old));
        assert!(!cells.is_old(&new));
        assert!(!cells.is_old(&standalone));
    }

    #[test]
    fn labels_name_the_service_revision_state_and_health() {
        let mut t = task(TaskStatus::Running, DesiredStatus::Stopped);
        t.health = HealthStatus::Unhealthy;
        let label = task_label(&CellContext::default(), &t);
        assert_eq!(label, "Task 01234567 (service web, revision 2, older deployment): RUNNING, stopping, unhealthy");
        assert_eq!(service_class(&t), "svc-1");
    }
}
