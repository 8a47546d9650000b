//! Engine II's placement trace as tables: every candidate instance by check
//! (with the numbers the engine wrote), then each strategy's scores, then the
//! tie-break. With thousands of candidates the chosen and tied instances come
//! first and the rest are shown a page at a time.

use std::rc::Rc;

use ecs_engine::place::{CandidateTrace, PlacementDecision};
use yew::prelude::*;

use super::approximation;
use crate::run::cluster_map::thousands;

const ROWS: usize = 25;

#[derive(Properties)]
pub struct TraceProps {
    pub decision: Rc<PlacementDecision>,
    pub chosen: Option<String>,
}

impl PartialEq for TraceProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.decision, &other.decision) && self.chosen == other.chosen
    }
}

/// The form of instance ids in a decision's tables: over the instances it
/// considered, which are its cluster's.
pub fn short_ids(decision: &PlacementDecision) -> ecs_engine::console::ShortIds {
    ecs_engine::console::ShortIds::for_cluster(
        decision.candidates.iter().map(|c| c.instance_id.as_str()),
    )
}

pub fn placement_trace(decision: &PlacementDecision, chosen: Option<&String>) -> Html {
    html! { <PlacementTrace decision={Rc::new(decision.clone())} chosen={chosen.cloned()} /> }
}

/// Check names in pipeline order as they appear in the trace.
pub fn check_columns(decision: &PlacementDecision) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for candidate in &decision.candidates {
        for check in &candidate.checks {
            if !columns.iter().any(|c| c == check.check.as_ref()) {
                columns.push(check.check.to_string());
            }
        }
    }
    columns
}

/// The order rows are listed in: the chosen instance, then the ones tied with
/// it, then the other feasible ones, then the rest, each in the engine's order.
pub fn candidate_order<'a>(
    decision: &'a PlacementDecision,
    chosen: Option<&str>,
) -> Vec<&'a CandidateTrace> {
    let tied = |c: &CandidateTrace| {
        decision
            .tie_break
            .as_ref()
            .is_some_and(|t| t.among.contains(&c.instance_id))
    };
    let rank = |c: &CandidateTrace| {
        if Some(c.instance_id.as_str()) == chosen {
            0
        } else if tied(c) {
            1
        } else if c.feasible() {
            2
        } else {
            3
        }
    };
    let mut order: Vec<&CandidateTrace> = decision.candidates.iter().collect();
    order.sort_by_key(|c| rank(c));
    order
}

#[function_component(PlacementTrace)]
pub fn placement_trace_view(props: &TraceProps) -> Html {
    let shown = use_state(|| ROWS);
    let decision = &props.decision;
    let columns = check_columns(decision);
    let order = candidate_order(decision, props.chosen.as_deref());
    let total = order.len();
    let limit = (*shown).min(total);
    let ids = short_ids(decision);

    let rows = order[..limit].iter().map(|c| {
        let is_chosen = props.chosen.as_deref() == Some(c.instance_id.as_str());
        let cells = columns.iter().map(|name| match c.checks.iter().find(|k| k.check == name.as_str()) {
            Some(k) => html! {
                <td class={if k.passed { "pass" } else { "fail" }}>
                    <span class="mark" aria-hidden="true">{ if k.passed { "✓" } else { "✗" } }</span>
                    <span class="visually-hidden">{ if k.passed { "passes: " } else { "fails: " } }</span>
                    { k.detail.as_ref() }
                </td>
            },
            None => html! { <td class="skipped">{ "—" }</td> },
        });
        let verdict = if is_chosen {
            "chosen"
        } else if c.feasible() {
            "fits"
        } else {
            "filtered"
        };
        html! {
            <tr class={classes!(is_chosen.then_some("chosen"), (!c.feasible()).then_some("filtered"))}
                data-instance-id={c.instance_id.clone()}>
                <th scope="row"><span class="explain-id" title={c.instance_id.clone()}>{ ids.show(&c.instance_id) }</span><span class="explain-az">{ &c.availability_zone }</span></th>
                { for cells }
                <td class={classes!("verdict", verdict)}>{ verdict }</td>
            </tr>
        }
    });
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + ROWS * 4))
    };

    html! {
        <div class="explain-trace">
            if !decision.constraints.is_empty() {
                <p class="explain-line"><span class="explain-key">{ "Constraints" }</span>{ decision.constraints.join(", ") }</p>
            }
            <p class="explain-line"><span class="explain-key">{ "Strategy" }</span>{ &decision.strategy }</p>
            <p class="explain-line" data-testid="explain-counters"><span class="explain-key">{ "Counted" }</span>{ decision.counters.render() }</p>
            <div class="explain-scroll" tabindex="0" role="region" aria-label="Candidate instances (scrolls)">
                <table class="explain-table" data-testid="explain-candidates">
                    <caption>{ format!("Candidate instances by check, in pipeline order ({} of {})", thousands(limit), thousands(total)) }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Instance" }</th>
                            { for columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }
                            <th scope="col">{ "Result" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if limit < total {
                <button type="button" class="map-button" onclick={more}>{ format!("Show more candidates ({} not shown)", thousands(total - limit)) }</button>
            }
            { for decision.steps.iter().enumerate().map(|(i, step)| strategy_step(i, step, props.chosen.as_deref(), ids)) }
            if let Some(tie) = &decision.tie_break {
                <div class="explain-step" data-testid="explain-tie-break">
                    <h4>{ "Tie-break" }</h4>
                    <p>
                        { format!("{} still tied after every strategy, in registration order. The seeded random draw picked position {} → ",
                            crate::run::cluster_map::count(tie.among.len(), "candidate", "candidates"), tie.draw) }
                        <strong>{ &tie.chosen }</strong>{ "." }
                    </p>
                    if tie.among.len() > 1 {
                        <p class="explain-tied">{ tie_list(&tie.among) }</p>
                    }
                </div>
            }
            { for decision.approximations.iter().map(|a| approximation(a)) }
        </div>
    }
}

fn tie_list(among: &[String]) -> String {
    let shown: Vec<&str> = among.iter().take(12).map(String::as_str).collect();
    let mut text = format!("Tied: {}", shown.join(", "));
    if among.len() > shown.len() {
        text.push_str(&format!(
            " and {} more",
            thousands(among.len() - shown.len())
        ));
    }
    text
}

fn strategy_step(
    index: usize,
    step: &ecs_engine::place::trace::StrategyStep,
    chosen: Option<&str>,
    ids: ecs_engine::console::ShortIds,
) -> Html {
    let mut scores: Vec<_> = step.scores.iter().collect();
    // Kept candidates first, the chosen one at the very top; the engine's order otherwise.
    scores.sort_by_key(|s| (Some(s.instance_id.as_str()) != chosen, !s.kept));
    let shown = scores.len().min(ROWS);
    html! {
        <div class="explain-step" data-testid="explain-strategy">
            <h4>{ format!("Step {}: {}", index + 1, step.strategy) }</h4>
            <p class="explain-line">
                { format!("Score = {} (lower is better). Best {}; {} kept.", step.measure, step.best,
                    crate::run::cluster_map::count(step.kept as usize, "candidate", "candidates")) }
            </p>
            <table class="explain-table compact">
                <caption class="visually-hidden">{ format!("Scores under {}", step.strategy) }</caption>
                <thead><tr><th scope="col">{ "Instance" }</th><th scope="col">{ "Score" }</th><th scope="col">{ "Result" }</th></tr></thead>
                <tbody>
                    { for scores[..shown].iter().map(|s| html! {
                        <tr class={classes!(s.kept.then_some("kept"))}>
                            <th scope="row"><span class="explain-id" title={s.instance_id.clone()}>{ ids.show(&s.instance_id) }</span></th>
                            <td class="num">{ s.score }</td>
                            <td class={classes!("verdict", if s.kept { "fits" } else { "filtered" })}>{ if s.kept { "kept" } else { "dropped" } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if scores.len() > shown {
                <p class="map-more">{ format!("and {} more scored", thousands(scores.len() - shown)) }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_engine::place::trace::TieBreak;
    use ecs_engine::place::CheckOutcome;

    fn candidate(id: &str, passes: &[bool]) -> CandidateTrace {
        let names = ["cpu", "memory", "ports"];
        CandidateTrace {
            instance_id: id.into(),
            availability_zone: "us-east-1a".into(),
            checks: passes
                .iter()
                .zip(names)
                .map(|(p, n)| CheckOutcome {
                    check: n.into(),
                    passed: *p,
                    detail: "".into(),
                })
                .collect(),
            memory_left_after: None,
            cpu_left_after: None,
        }
    }

    fn decision() -> PlacementDecision {
        PlacementDecision {
            strategy: "binpack(memory)".into(),
            candidates: vec![
                candidate("i-a", &[false]),
                candidate("i-b", &[true, true, true]),
                candidate("i-c", &[true, false]),
                candidate("i-d", &[true, true, true]),
                candidate("i-e", &[true, true, true]),
            ],
            chosen: Some("i-e".into()),
            unplaced_reason: None,
            constraints: vec![],
            steps: vec![],
            tie_break: Some(TieBreak {
                among: vec!["i-d".into(), "i-e".into()],
                draw: 1,
                chosen: "i-e".into(),
            }),
            counters: Default::default(),
            closest_match: None,
            failures: vec![],
            approximations: vec![],
        }
    }

    #[test]
    fn columns_follow_the_order_checks_first_appear() {
        assert_eq!(check_columns(&decision()), ["cpu", "memory", "ports"]);
    }

    #[test]
    fn chosen_then_tied_then_feasible_then_filtered() {
        let d = decision();
        let order: Vec<&str> = candidate_order(&d, Some("i-e"))
            .iter()
            .map(|c| c.instance_id.as_str())
            .collect();
        assert_eq!(order, ["i-e", "i-d", "i-b", "i-a", "i-c"]);
    }
}
