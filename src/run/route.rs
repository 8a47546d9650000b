//! What the run page shows, read from its address: `#gallery` (the gallery),
//! `#gallery=NAME` (a gallery scenario), `#workspace` (the user's workspace)
//! `#lessons` (the lessons), `#lesson=ID` (a lesson on its run),
//! `#run=v1.…` (a run carried in the link, in the share links' format: the
//! workbench's "run this deployment") or nothing (the last run, else the gallery). `?embed` makes it a compact,
//! read-only embed.

use ecs_engine::workspace::run::gallery_name;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Gallery,
    Scenario(String),
    Workspace,
    LastRun,
    /// `#lessons`: the path of lessons.
    Lessons,
    /// `#lesson=ID`: a lesson on its run.
    Lesson(String),
    /// `#run=v1.…`: a run in the link (its fragment after `run=`).
    Link(String),
}

impl Route {
    pub fn from_fragment(fragment: &str) -> Route {
        let fragment = fragment.trim_start_matches('#');
        match fragment.split_once('=') {
            Some(("gallery", name)) => gallery_name(&format!("{name}.json"))
                .map(Route::Scenario)
                .unwrap_or(Route::Gallery),
            Some(("lesson", id)) => gallery_name(&format!("{id}.json"))
                .map(Route::Lesson)
                .unwrap_or(Route::Lessons),
            Some(("run", link)) => Route::Link(link.to_string()),
            _ if fragment == "gallery" => Route::Gallery,
            _ if fragment == "lessons" => Route::Lessons,
            _ if fragment == "workspace" => Route::Workspace,
            _ => Route::LastRun,
        }
    }

    pub fn current() -> Route {
        Route::from_fragment(&crate::workspace::browser::fragment())
    }
}

/// The address of a gallery scenario on the run page, and its embed.
pub fn scenario_link(name: &str) -> String {
    format!("{}#gallery={name}", page_url())
}

pub fn embed_snippet(name: &str, title: &str) -> String {
    let title = title.replace('"', "&quot;");
    format!(
        "<iframe src=\"{}?embed#gallery={name}\" title=\"{title}\" width=\"960\" height=\"640\" loading=\"lazy\"></iframe>",
        page_url()
    )
}

/// The run page's address without query or fragment.
fn page_url() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_pick_the_view() {
        let cases = [
            ("", Route::LastRun),
            ("#gallery", Route::Gallery),
            (
                "#gallery=rolling-default",
                Route::Scenario("rolling-default".into()),
            ),
            ("#gallery=../secret", Route::Gallery),
            ("#workspace", Route::Workspace),
            ("#v1.abc", Route::LastRun),
            ("#lessons", Route::Lessons),
            ("#lesson=placement", Route::Lesson("placement".into())),
            ("#lesson=../x", Route::Lessons),
            ("#run=v1.abc", Route::Link("v1.abc".into())),
        ];
        for (fragment, route) in cases {
            assert_eq!(Route::from_fragment(fragment), route, "{fragment}");
        }
    }
}
