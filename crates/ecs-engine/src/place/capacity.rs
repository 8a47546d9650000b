//! Capacity provider strategies: which provider gets the next task
//! (ecs-semantics A4).
//!
//! APPROXIMATION: AWS documents base ("satisfied first") and weight ("the
//! relative percentage"), not the integer apportionment. The model: fill the
//! one provider with a base up to it, then give each further task to the
//! provider that minimises (tasks above its base + 1) / weight, earlier in the
//! strategy on ties (smooth weighted round-robin). Scale-in reverses it: stop
//! from the provider furthest above its share.

use serde::{Deserialize, Serialize};

/// Providers per strategy ([live] documentation; it was 6).
pub const MAX_PROVIDERS: usize = 20;
pub const MAX_BASE: u32 = 100_000;
pub const MAX_WEIGHT: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderItem {
    pub capacity_provider: String,
    #[serde(default)]
    pub base: u32,
    #[serde(default)]
    pub weight: u32,
}

impl ProviderItem {
    pub fn new(name: &str, base: u32, weight: u32) -> ProviderItem {
        ProviderItem {
            capacity_provider: name.to_string(),
            base,
            weight,
        }
    }

    pub fn is_fargate(&self) -> bool {
        is_fargate_provider(&self.capacity_provider)
    }
}

/// Whether a capacity provider is one of the two AWS manages for Fargate
/// (`FARGATE`, `FARGATE_SPOT`); every other provider is an Auto Scaling
/// group's, and its tasks launch on EC2. The one test of this, for the
/// preview, RunTask, the scheduler and the cluster operations alike.
pub fn is_fargate_provider(name: &str) -> bool {
    matches!(name, "FARGATE" | "FARGATE_SPOT")
}

/// The launch type of a task the capacity provider `name` runs.
pub fn launch_type_of_provider(name: &str) -> &'static str {
    if is_fargate_provider(name) {
        "FARGATE"
    } else {
        "EC2"
    }
}

/// Whether the label "approximation" applies to this module's answers: always.
pub const IS_APPROXIMATION: bool = true;

/// The rules AWS enforces before placing anything; messages use AWS's wording
/// where it is known.
pub fn validate(strategy: &[ProviderItem], launch_type: Option<&str>) -> Result<(), String> {
    if launch_type.is_some() && !strategy.is_empty() {
        return Err("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.".into());
    }
    if strategy.len() > MAX_PROVIDERS {
        return Err(format!(
            "a capacity provider strategy has at most {MAX_PROVIDERS} providers"
        ));
    }
    if strategy.iter().filter(|p| p.base > 0).count() > 1 {
        return Err("only one capacity provider in a strategy can have a base".into());
    }
    if let Some(p) = strategy
        .iter()
        .find(|p| p.base > MAX_BASE || p.weight > MAX_WEIGHT)
    {
        return Err(format!(
            "{}: base is 0–{MAX_BASE} and weight 0–{MAX_WEIGHT}",
            p.capacity_provider
        ));
    }
    let fargate = strategy.iter().filter(|p| p.is_fargate()).count();
    if fargate > 0 && fargate < strategy.len() {
        return Err("The capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.".into());
    }
    if !strategy.is_empty() && strategy.iter().all(|p| p.weight == 0) {
        return Err(
            "at least one capacity provider in the strategy must have a weight greater than 0"
                .into(),
        );
    }
    Ok(())
}

/// The provider (index into `strategy`) for the next task, given how many
/// tasks each already runs. `None` when no provider can take tasks.
pub fn next_provider(strategy: &[ProviderItem], placed: &[u32]) -> Option<usize> {
    let count = |i: usize| placed.get(i).copied().unwrap_or(0);
    if let Some(i) = strategy.iter().position(|p| p.base > 0) {
        if count(i) < strategy.get(i).map_or(0, |p| p.base) {
            return Some(i);
        }
    }
    let mut best: Option<(usize, u64, u64)> = None;
    for (i, provider) in strategy.iter().enumerate() {
        if provider.weight == 0 {
            continue;
        }
        let above = u64::from(count(i).saturating_sub(provider.base)) + 1;
        let weight = u64::from(provider.weight);
        // Compare above/weight as fractions without division.
        let better = best.is_none_or(|(_, a, w)| above * w < a * weight);
        if better {
            best = Some((i, above, weight));
        }
    }
    best.map(|(i, _, _)| i)
}

/// How `count` new tasks split across the providers, in launch order.
pub fn assign(strategy: &[ProviderItem], already: &[u32], count: usize) -> Vec<usize> {
    let mut placed: Vec<u32> = (0..strategy.len())
        .map(|i| already.get(i).copied().unwrap_or(0))
        .collect();
    let mut order = Vec::with_capacity(count);
    for _ in 0..count {
        let Some(i) = next_provider(strategy, &placed) else {
            break;
        };
        if let Some(n) = placed.get_mut(i) {
            *n += 1;
        }
        order.push(i);
    }
    order
}

/// How one task launches: its launch type and, under a capacity provider
/// strategy, the provider it goes to (Fargate's included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskLaunch<'a> {
    pub launch_type: &'a str,
    pub capacity_provider: Option<&'a str>,
}

/// How the next task launches; the one choice RunTask, the service
/// scheduler and the authoring preview make, task by task. A launch type
/// given wins (it overrides any strategy); else the task goes to the
/// provider of `strategy` the base-then-weight split gives, counting the
/// tasks each already has (`placed`, which the choice then counts; a slice
/// shorter than the strategy counts the rest as 0), with that provider's
/// launch type; with neither, launch type EC2, as AWS does (CreateService and
/// RunTask's API reference). `None` when no provider has a weight above zero.
pub fn next_launch<'a>(
    launch_type: Option<&'a str>,
    strategy: &'a [ProviderItem],
    placed: &mut [u32],
) -> Option<TaskLaunch<'a>> {
    if let Some(launch_type) = launch_type.or(strategy.is_empty().then_some("EC2")) {
        return Some(TaskLaunch {
            launch_type,
            capacity_provider: None,
        });
    }
    let i = next_provider(strategy, placed)?;
    if let Some(n) = placed.get_mut(i) {
        *n += 1;
    }
    let name = strategy.get(i)?.capacity_provider.as_str();
    Some(TaskLaunch {
        launch_type: launch_type_of_provider(name),
        capacity_provider: Some(name),
    })
}

/// The provider to stop a task from on scale-in: the one furthest above its
/// weighted share, keeping the base for last.
pub fn provider_to_shrink(strategy: &[ProviderItem], placed: &[u32]) -> Option<usize> {
    let count = |i: usize| placed.get(i).copied().unwrap_or(0);
    let mut best: Option<(usize, u64, u64)> = None;
    for (i, provider) in strategy.iter().enumerate() {
        let above = u64::from(count(i).saturating_sub(provider.base));
        if above == 0 {
            continue;
        }
        // A weight-0 provider above its base holds tasks it should not: its
        // share counts as infinite.
        let weight = u64::from(provider.weight);
        let better = match best {
            None => true,
            Some((_, a, 0)) => weight == 0 && above > a,
            Some(_) if weight == 0 => true,
            Some((_, a, w)) => above * w > a * weight,
        };
        if better {
            best = Some((i, above, weight));
        }
    }
    best.map(|(i, _, _)| i)
        .or_else(|| (0..strategy.len()).rev().find(|&i| count(i) > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_fargate_providers_launch_on_fargate() {
        for (name, launch_type) in [
            ("FARGATE", "FARGATE"),
            ("FARGATE_SPOT", "FARGATE"),
            ("asg-provider", "EC2"),
            // An Auto Scaling group's provider whose name merely begins so.
            ("FARGATE_ASG", "EC2"),
        ] {
            assert_eq!(launch_type_of_provider(name), launch_type, "{name}");
            assert_eq!(
                is_fargate_provider(name),
                launch_type == "FARGATE",
                "{name}"
            );
        }
    }

    #[test]
    fn a_launch_type_wins_then_the_strategy_then_ec2() {
        let strategy = [
            ProviderItem::new("od", 1, 1),
            ProviderItem::new("FARGATE_SPOT", 0, 0),
            ProviderItem::new("spot", 0, 1),
        ];
        fn three<'a>(
            launch_type: Option<&'a str>,
            strategy: &'a [ProviderItem],
            placed: &mut [u32],
        ) -> Vec<Option<(&'a str, Option<&'a str>)>> {
            (0..3)
                .map(|_| {
                    next_launch(launch_type, strategy, placed)
                        .map(|l| (l.launch_type, l.capacity_provider))
                })
                .collect()
        }
        assert_eq!(
            three(Some("FARGATE"), &strategy, &mut []),
            [Some(("FARGATE", None)); 3]
        );
        assert_eq!(three(None, &[], &mut []), [Some(("EC2", None)); 3]);
        // od's base first, then 1:1 (od first on the tie); weight 0 never;
        // the choices counted in `placed`.
        let mut placed = [0, 0, 0];
        assert_eq!(
            three(None, &strategy, &mut placed),
            [
                Some(("EC2", Some("od"))),
                Some(("EC2", Some("od"))),
                Some(("EC2", Some("spot")))
            ]
        );
        assert_eq!(placed, [2, 0, 1]);
        let fargate = [ProviderItem::new("FARGATE_SPOT", 0, 1)];
        assert_eq!(
            three(None, &fargate, &mut []),
            [Some(("FARGATE", Some("FARGATE_SPOT"))); 3]
        );
        assert_eq!(
            next_launch(None, &[ProviderItem::new("x", 0, 0)], &mut []),
            None
        );
    }

    fn totals(strategy: &[ProviderItem], count: usize) -> Vec<u32> {
        let mut totals = vec![0; strategy.len()];
        for i in assign(strategy, &[], count) {
            totals[i] += 1;
        }
        totals
    }

    #[test]
    fn equal_weights_split_evenly() {
        let s = [ProviderItem::new("A", 0, 1), ProviderItem::new("B", 0, 1)];
        assert_eq!(assign(&s, &[], 4), vec![0, 1, 0, 1]);
        assert_eq!(totals(&s, 10), vec![5, 5]);
    }

    #[test]
    fn weights_one_to_four_give_four_b_tasks_per_a_task() {
        let s = [ProviderItem::new("A", 0, 1), ProviderItem::new("B", 0, 4)];
        for rounds in 1..=10 {
            assert_eq!(
                totals(&s, 5 * rounds),
                vec![rounds as u32, 4 * rounds as u32]
            );
        }
    }

    #[test]
    fn base_two_then_one_to_three() {
        let s = [
            ProviderItem::new("on-demand", 2, 1),
            ProviderItem::new("spot", 0, 3),
        ];
        let order = assign(&s, &[], 6);
        assert_eq!(&order[..2], &[0, 0], "the base is satisfied first");
        for rounds in 1..=10u32 {
            assert_eq!(
                totals(&s, 2 + 4 * rounds as usize),
                vec![2 + rounds, 3 * rounds]
            );
        }
    }

    #[test]
    fn scale_in_stops_from_the_provider_furthest_above_its_share() {
        let s = [
            ProviderItem::new("on-demand", 2, 1),
            ProviderItem::new("spot", 0, 3),
        ];
        assert_eq!(provider_to_shrink(&s, &[3, 6]), Some(1));
        assert_eq!(provider_to_shrink(&s, &[4, 3]), Some(0));
        assert_eq!(
            provider_to_shrink(&s, &[2, 0]),
            Some(0),
            "the base goes last"
        );
    }

    #[test]
    fn invalid_strategies_are_refused() {
        let fargate = ProviderItem::new("FARGATE", 0, 1);
        let asg = ProviderItem::new("my-asg", 0, 1);
        assert!(validate(&[fargate.clone(), asg.clone()], None)
            .unwrap_err()
            .contains("mix"));
        assert!(validate(std::slice::from_ref(&asg), Some("EC2"))
            .unwrap_err()
            .contains("both a launch type"));
        assert!(validate(
            &[ProviderItem::new("a", 1, 1), ProviderItem::new("b", 1, 1)],
            None
        )
        .is_err());
        assert!(validate(&[ProviderItem::new("a", 0, 0)], None).is_err());
        assert!(validate(&[fargate, ProviderItem::new("FARGATE_SPOT", 1, 4)], None).is_ok());
        assert_eq!(next_provider(&[ProviderItem::new("a", 0, 0)], &[0]), None);
    }
}
