//! The actions panel: each control is one ECS API or simulator call (built by
//! the engine's `ActionRequest`), appended to the run at the current virtual
//! time; the run is then recorded again. Undo drops the last action.

use ecs_engine::arn::task_definition_family;
use ecs_engine::place::catalogue::instance_types;
use ecs_engine::sim::core::format_time;
use ecs_engine::workspace::run::{next_image, ActionRequest, ImageBehavior, Run};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A service the actions can target.
#[derive(Clone, PartialEq)]
pub struct ServiceTarget {
    pub cluster: String,
    pub name: String,
    pub desired: u32,
    pub task_definition: String,
}

/// An instance the actions can target.
#[derive(Clone, PartialEq)]
pub struct InstanceTarget {
    pub cluster: String,
    pub id: String,
    pub label: String,
}

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub run: std::rc::Rc<Run>,
    pub at: u64,
    pub services: Vec<ServiceTarget>,
    pub instances: Vec<InstanceTarget>,
    /// The selected task and its cluster, for Stop and Spot interruption.
    pub task: Option<(String, String)>,
    /// The Availability Zones the frame shows instances in.
    pub zones: Vec<String>,
    pub on_action: Callback<ActionRequest>,
    pub on_undo: Callback<()>,
}

fn input_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

fn select_value(node: &NodeRef) -> String {
    node.cast::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn textarea_value(node: &NodeRef) -> String {
    node.cast::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

fn checked(node: &NodeRef) -> bool {
    node.cast::<HtmlInputElement>()
        .map(|i| i.checked())
        .unwrap_or(false)
}

/// A service's member as the user last set it, as pretty JSON (`[]` when
/// never set).
fn setting_text(run: &Run, service: &str, member: &str) -> String {
    run.service_setting(service, member)
        .map(|v| ecs_engine::json::write::pretty(&v))
        .unwrap_or_else(|| "[]".into())
}

fn behavior_from(value: &str) -> Option<ImageBehavior> {
    match value {
        "crash" => Some(ImageBehavior::CrashAfter(20)),
        "fail" => Some(ImageBehavior::FailsToStart),
        "unhealthy" => Some(ImageBehavior::UnhealthyAfter(30)),
        "healthy" => Some(ImageBehavior::Healthy),
        _ => None,
    }
}

fn behavior_options(with_none: bool) -> Html {
    html! { <>
        <option value={if with_none { "" } else { "healthy" }} selected=true>{ "runs normally" }</option>
        <option value="crash">{ "crashes 20 s after starting" }</option>
        <option value="fail">{ "fails to start (cannot pull)" }</option>
        <option value="unhealthy">{ "turns unhealthy after 30 s" }</option>
    </> }
}

#[function_component(ActionsPanel)]
pub fn actions_panel(props: &ActionsProps) -> Html {
    let service_ref = use_node_ref();
    let desired_ref = use_node_ref();
    let minimum_ref = use_node_ref();
    let maximum_ref = use_node_ref();
    let image_ref = use_node_ref();
    let image_behavior_ref = use_node_ref();
    let instance_ref = use_node_ref();
    let run_family_ref = use_node_ref();
    let run_count_ref = use_node_ref();
    let behavior_image_ref = use_node_ref();
    let behavior_ref = use_node_ref();
    let chosen = use_state(|| 0usize);
    let breaker_enable_ref = use_node_ref();
    let breaker_rollback_ref = use_node_ref();
    let strategy_ref = use_node_ref();
    let constraints_ref = use_node_ref();
    let placement_ref = use_node_ref();
    let run_strategy_ref = use_node_ref();
    let launch_type_ref = use_node_ref();
    let launch_zone_ref = use_node_ref();
    let launch_count_ref = use_node_ref();
    let group_ref = use_node_ref();
    let group_desired_ref = use_node_ref();

    let service = props
        .services
        .get(*chosen)
        .or(props.services.first())
        .cloned();
    let on_service = {
        let (chosen, service_ref) = (chosen.clone(), service_ref.clone());
        Callback::from(move |_: Event| chosen.set(select_value(&service_ref).parse().unwrap_or(0)))
    };
    let with_service = |make: fn(&ServiceTarget, &Refs) -> Option<ActionRequest>| {
        let (on_action, service) = (props.on_action.clone(), service.clone());
        let refs = Refs {
            desired: desired_ref.clone(),
            minimum: minimum_ref.clone(),
            maximum: maximum_ref.clone(),
            image: image_ref.clone(),
            image_behavior: image_behavior_ref.clone(),
            breaker_enable: breaker_enable_ref.clone(),
            breaker_rollback: breaker_rollback_ref.clone(),
            strategy: strategy_ref.clone(),
            constraints: constraints_ref.clone(),
            placement: placement_ref.clone(),
        };
        Callback::from(move |_: MouseEvent| {
            if let Some(request) = service.as_ref().and_then(|s| make(s, &refs)) {
                on_action.emit(request);
            }
        })
    };
    let with_instance = |make: fn(String, String) -> ActionRequest| {
        let (on_action, instance_ref, instances) = (
            props.on_action.clone(),
            instance_ref.clone(),
            props.instances.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let id = select_value(&instance_ref);
            if let Some(i) = instances.iter().find(|i| i.id == id) {
                on_action.emit(make(i.cluster.clone(), i.id.clone()));
            }
        })
    };
    let with_task = |make: fn(String, String) -> ActionRequest| {
        let (on_action, task) = (props.on_action.clone(), props.task.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((cluster, task)) = &task {
                on_action.emit(make(cluster.clone(), task.clone()));
            }
        })
    };
    let cluster_name = service
        .as_ref()
        .map(|s| s.cluster.clone())
        .or_else(|| props.instances.first().map(|i| i.cluster.clone()))
        .unwrap_or_else(|| "default".into());
    let launch = {
        let (on_action, kind, zone, count, cluster) = (
            props.on_action.clone(),
            launch_type_ref.clone(),
            launch_zone_ref.clone(),
            launch_count_ref.clone(),
            cluster_name.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let zone = select_value(&zone);
            on_action.emit(ActionRequest::LaunchInstances {
                cluster: cluster.clone(),
                instance_type: input_value(&kind).trim().to_string(),
                availability_zone: (!zone.is_empty()).then_some(zone),
                count: input_value(&count).parse().unwrap_or(0),
            });
        })
    };
    let groups = props.run.auto_scaling_groups();
    let scale_group = {
        let (on_action, group, desired) = (
            props.on_action.clone(),
            group_ref.clone(),
            group_desired_ref.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Ok(desired) = input_value(&desired).trim().parse() {
                on_action.emit(ActionRequest::ScaleAutoScalingGroup {
                    name: select_value(&group),
                    desired,
                });
            }
        })
    };
    let run_task = {
        let (on_action, family, count, strategy, cluster) = (
            props.on_action.clone(),
            run_family_ref.clone(),
            run_count_ref.clone(),
            run_strategy_ref.clone(),
            cluster_name.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let task_definition = input_value(&family);
            if !task_definition.trim().is_empty() {
                on_action.emit(ActionRequest::RunTask {
                    cluster: cluster.clone(),
                    task_definition: task_definition.trim().to_string(),
                    count: input_value(&count).parse().unwrap_or(1),
                    placement_strategy: textarea_value(&strategy),
                });
            }
        })
    };
    let set_behavior = {
        let (on_action, image, behavior) = (
            props.on_action.clone(),
            behavior_image_ref.clone(),
            behavior_ref.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let image = input_value(&image);
            if let (false, Some(behavior)) = (
                image.trim().is_empty(),
                behavior_from(&select_value(&behavior)),
            ) {
                on_action.emit(ActionRequest::SetImageBehavior {
                    image: image.trim().to_string(),
                    behavior,
                });
            }
        })
    };
    let family = service
        .as_ref()
        .map(|s| task_definition_family(&s.task_definition).to_string());
    let suggested_image = family
        .as_deref()
        .and_then(|f| next_image(&props.run, f))
        .unwrap_or_default();
    let configuration = service.as_ref().and_then(|s| {
        props
            .run
            .service_setting(&s.name, "deploymentConfiguration")
    });
    let percent = |key: &str, default: u64| {
        configuration
            .as_ref()
            .and_then(|c| c.get(key))
            .and_then(|v| v.as_u64())
            .unwrap_or(default)
            .to_string()
    };
    let breaker = |key: &str| {
        configuration
            .as_ref()
            .and_then(|c| c.get("deploymentCircuitBreaker"))
            .and_then(|b| b.get(key))
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    };
    let (minimum_now, maximum_now) = (
        percent("minimumHealthyPercent", 100),
        percent("maximumPercent", 200),
    );
    let (breaker_enable, breaker_rollback) = (breaker("enable"), breaker("rollback"));
    let setting = |member: &str| {
        service
            .as_ref()
            .map(|s| setting_text(&props.run, &s.name, member))
            .unwrap_or_default()
    };
    let when = format_time(props.at);
    let has_task = props.task.is_some();
    let has_instance = !props.instances.is_empty();
    html! {
        <section class="panel" aria-labelledby="actions-heading">
            <h3 id="actions-heading">{ "Actions" }</h3>
            <p class="panel-note">{ format!("Each action is the ECS call it stands for, added to the run at {when}; the run is then replayed from the start.") }</p>
            <div class="actions-form">
                if let Some(service) = &service {
                    <fieldset class="action-group">
                        <legend>{ "Service" }</legend>
                        <label class="field"><span>{ "Service" }</span>
                            <select ref={service_ref} onchange={on_service}>
                                { for props.services.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={i == *chosen}>{ &s.name }</option> }) }
                            </select>
                        </label>
                        <label class="field"><span>{ "Desired count" }</span>
                            <input ref={desired_ref.clone()} type="number" min="0" max="5000" value={service.desired.to_string()} />
                        </label>
                        <button type="button" class="button" onclick={with_service(|s, r| Some(ActionRequest::SetDesiredCount { cluster: s.cluster.clone(), service: s.name.clone(), desired: input_value(&r.desired).parse().ok()? }))}>{ "Update desired count" }</button>
                    </fieldset>
                    <fieldset class="action-group">
                        <legend>{ "Deployment configuration" }</legend>
                        <label class="field"><span>{ "minimumHealthyPercent" }</span><input ref={minimum_ref.clone()} type="number" min="0" max="100" value={minimum_now} /></label>
                        <label class="field"><span>{ "maximumPercent" }</span><input ref={maximum_ref.clone()} type="number" min="100" max="200" value={maximum_now} /></label>
                        <button type="button" class="button" onclick={with_service(|s, r| Some(ActionRequest::SetDeploymentConfiguration { cluster: s.cluster.clone(), service: s.name.clone(), minimum_healthy_percent: input_value(&r.minimum).parse().ok()?, maximum_percent: input_value(&r.maximum).parse().ok()? }))}>{ "Update configuration" }</button>
                        <button type="button" class="button" onclick={with_service(|s, _| Some(ActionRequest::ForceNewDeployment { cluster: s.cluster.clone(), service: s.name.clone() }))}>{ "Force new deployment" }</button>
                    </fieldset>
                    <fieldset class="action-group">
                        <legend>{ "Deployment circuit breaker" }</legend>
                        <label class="field field-inline"><input ref={breaker_enable_ref.clone()} type="checkbox" checked={breaker_enable} /><span>{ "enable" }</span></label>
                        <label class="field field-inline"><input ref={breaker_rollback_ref.clone()} type="checkbox" checked={breaker_rollback} /><span>{ "rollback" }</span></label>
                        <button type="button" class="button" onclick={with_service(|s, r| Some(ActionRequest::SetCircuitBreaker { cluster: s.cluster.clone(), service: s.name.clone(), enable: checked(&r.breaker_enable), rollback: checked(&r.breaker_rollback) }))}>{ "Update circuit breaker" }</button>
                    </fieldset>
                    <fieldset class="action-group action-group-wide">
                        <legend>{ "Capacity provider strategy (UpdateService with forceNewDeployment)" }</legend>
                        <label class="field field-wide"><span>{ "capacityProviderStrategy (JSON)" }</span>
                            <textarea ref={strategy_ref.clone()} rows="4" spellcheck="false" value={setting("capacityProviderStrategy")} /></label>
                        <button type="button" class="button" onclick={with_service(|s, r| Some(ActionRequest::SetCapacityProviderStrategy { cluster: s.cluster.clone(), service: s.name.clone(), strategy: textarea_value(&r.strategy) }))}>{ "Update strategy" }</button>
                    </fieldset>
                    <fieldset class="action-group action-group-wide">
                        <legend>{ "Placement (UpdateService)" }</legend>
                        <label class="field field-wide"><span>{ "placementConstraints (JSON)" }</span>
                            <textarea ref={constraints_ref.clone()} rows="3" spellcheck="false" value={setting("placementConstraints")} /></label>
                        <label class="field field-wide"><span>{ "placementStrategy (JSON)" }</span>
                            <textarea ref={placement_ref.clone()} rows="3" spellcheck="false" value={setting("placementStrategy")} /></label>
                        <button type="button" class="button" onclick={with_service(|s, r| Some(ActionRequest::SetPlacement { cluster: s.cluster.clone(), service: s.name.clone(), constraints: textarea_value(&r.constraints), strategies: textarea_value(&r.placement) }))}>{ "Update placement" }</button>
                    </fieldset>
                    <RevisionEditor run={props.run.clone()} cluster={service.cluster.clone()} service={service.name.clone()}
                        family={task_definition_family(&service.task_definition).to_string()} on_action={props.on_action.clone()} />
                    <fieldset class="action-group">
                        <legend>{ "New revision" }</legend>
                        <label class="field"><span>{ "New image" }</span><input ref={image_ref.clone()} type="text" value={suggested_image} /></label>
                        <label class="field"><span>{ "New image behaviour" }</span><select ref={image_behavior_ref.clone()}>{ behavior_options(true) }</select></label>
                        <button type="button" class="button button-primary" onclick={with_service(|s, r| {
                            let image = input_value(&r.image);
                            (!image.trim().is_empty()).then(|| ActionRequest::DeployImage { cluster: s.cluster.clone(), service: s.name.clone(), family: task_definition_family(&s.task_definition).to_string(), image: image.trim().to_string(), behavior: behavior_from(&select_value(&r.image_behavior)) })
                        })}>{ "Deploy new revision" }</button>
                    </fieldset>
                }
                <fieldset class="action-group">
                    <legend>{ "Tasks" }</legend>
                    <label class="field"><span>{ "Task definition" }</span><input ref={run_family_ref} type="text" value={family.clone().unwrap_or_default()} /></label>
                    <label class="field"><span>{ "Count" }</span><input ref={run_count_ref} type="number" min="1" max="10" value="1" /></label>
                    <label class="field field-wide"><span>{ "placementStrategy (JSON, optional)" }</span>
                        <textarea ref={run_strategy_ref} rows="2" spellcheck="false" placeholder={r#"[{"type": "binpack", "field": "cpu"}]"#} /></label>
                    <button type="button" class="button" onclick={run_task}>{ "Run task" }</button>
                    <button type="button" class="button" disabled={!has_task} onclick={with_task(|cluster, task| ActionRequest::StopTask { cluster, task })}>{ "Stop selected task" }</button>
                    <button type="button" class="button" disabled={!has_task} onclick={with_task(|cluster, task| ActionRequest::SpotInterruption { cluster, task })}>{ "Spot interruption" }</button>
                </fieldset>
                if has_instance {
                    <fieldset class="action-group">
                        <legend>{ "Instances" }</legend>
                        <label class="field"><span>{ "Instance" }</span>
                            <select ref={instance_ref.clone()}>{ for props.instances.iter().map(|i| html! { <option value={i.id.clone()}>{ &i.label }</option> }) }</select>
                        </label>
                        <button type="button" class="button" onclick={with_instance(|cluster, instance| ActionRequest::DrainInstance { cluster, instance })}>{ "Drain" }</button>
                        <button type="button" class="button" onclick={with_instance(|cluster, instance| ActionRequest::ActivateInstance { cluster, instance })}>{ "Set active" }</button>
                        <button type="button" class="button" onclick={with_instance(|cluster, instance| ActionRequest::FailInstance { cluster, instance })}>{ "Fail instance" }</button>
                        <button type="button" class="button" onclick={with_instance(|cluster, instance| ActionRequest::DisconnectAgent { cluster, instance })}>{ "Disconnect agent" }</button>
                        <button type="button" class="button" onclick={with_instance(|cluster, instance| ActionRequest::ReconnectAgent { cluster, instance })}>{ "Reconnect agent" }</button>
                        <button type="button" class="button" onclick={with_instance(|cluster, instance| ActionRequest::TerminateInstance { cluster, instance })}>{ "Terminate" }</button>
                    </fieldset>
                }
                <fieldset class="action-group">
                    <legend>{ format!("Launch instances into {cluster_name} (Simulator.LaunchInstances)") }</legend>
                    <label class="field"><span>{ "Instance type" }</span>
                        <input ref={launch_type_ref} type="text" list="instance-types" value="m5.large" />
                        <datalist id="instance-types">{ for instance_types().iter().map(|t| html! { <option value={t.name.clone()} /> }) }</datalist>
                    </label>
                    <label class="field"><span>{ "Availability Zone" }</span>
                        <select ref={launch_zone_ref}>
                            <option value="" selected=true>{ "round robin over the zones" }</option>
                            { for props.zones.iter().map(|z| html! { <option value={z.clone()}>{ z }</option> }) }
                        </select>
                    </label>
                    <label class="field"><span>{ "Count" }</span><input ref={launch_count_ref} type="number" min="1" max="100" value="1" /></label>
                    <button type="button" class="button" onclick={launch}>{ "Launch" }</button>
                </fieldset>
                if !groups.is_empty() {
                    <fieldset class="action-group">
                        <legend>{ "Auto Scaling group (Simulator.SetDesiredCapacity)" }</legend>
                        <label class="field"><span>{ "Group" }</span>
                            <select ref={group_ref}>{ for groups.iter().map(|g| html! { <option value={g.clone()}>{ g }</option> }) }</select>
                        </label>
                        <label class="field"><span>{ "Desired capacity" }</span><input ref={group_desired_ref} type="number" min="0" value="1" /></label>
                        <button type="button" class="button" onclick={scale_group}>{ "Set desired capacity" }</button>
                    </fieldset>
                }
                <fieldset class="action-group">
                    <legend>{ "Image behaviour" }</legend>
                    <label class="field"><span>{ "Image to change" }</span><input ref={behavior_image_ref} type="text" placeholder="api:2" /></label>
                    <label class="field"><span>{ "Behaviour" }</span><select ref={behavior_ref}>{ behavior_options(false) }</select></label>
                    <button type="button" class="button" onclick={set_behavior}>{ "Set behaviour" }</button>
                </fieldset>
            </div>
            <h4>{ "Your actions" }</h4>
            if props.run.actions.is_empty() {
                <p class="empty">{ "None yet: the run is the scenario as written." }</p>
            } else {
                <ol class="action-log" data-testid="action-log">
                    { for props.run.actions.iter().map(|a| html! { <li><span class="event-time">{ format_time(a.at_ms) }</span><span>{ &a.label }</span></li> }) }
                </ol>
            }
            <button type="button" class="button" disabled={props.run.actions.is_empty()} onclick={props.on_undo.reform(|_: MouseEvent| ())}>{ "Undo last action" }</button>
        </section>
    }
}

/// The service fields an action reads.
struct Refs {
    desired: NodeRef,
    minimum: NodeRef,
    maximum: NodeRef,
    image: NodeRef,
    image_behavior: NodeRef,
    breaker_enable: NodeRef,
    breaker_rollback: NodeRef,
    strategy: NodeRef,
    constraints: NodeRef,
    placement: NodeRef,
}

#[derive(Properties, PartialEq)]
struct RevisionProps {
    run: std::rc::Rc<Run>,
    cluster: String,
    service: String,
    family: String,
    on_action: Callback<ActionRequest>,
}

/// The family's latest registration, edited in place: the analyser's
/// findings as the text changes (the same as the authoring page's), then
/// RegisterTaskDefinition and, if asked, UpdateService to deploy it.
#[function_component(RevisionEditor)]
fn revision_editor(props: &RevisionProps) -> Html {
    let latest = props
        .run
        .latest_registration(&props.family)
        .map(|v| ecs_engine::json::write::pretty(&v))
        .unwrap_or_default();
    let text = use_state(|| latest.clone());
    {
        // A new run or family starts again from the latest registration.
        let text = text.clone();
        use_effect_with(latest.clone(), move |latest| text.set(latest.clone()));
    }
    let findings = use_memo((*text).clone(), |t| {
        ecs_engine::analysis::analyze_registered_task_definition(t).diagnostics
    });
    let deploy_ref = use_node_ref();
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                text.set(area.value());
            }
        })
    };
    let register = {
        let (on_action, text, deploy_ref, cluster, service) = (
            props.on_action.clone(),
            text.clone(),
            deploy_ref.clone(),
            props.cluster.clone(),
            props.service.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            on_action.emit(ActionRequest::RegisterRevision {
                cluster: cluster.clone(),
                document: (*text).clone(),
                deploy_to: checked(&deploy_ref).then(|| service.clone()),
            })
        })
    };
    let errors = findings
        .iter()
        .filter(|d| d.severity == ecs_engine::diagnostic::Severity::Error)
        .count();
    html! {
        <fieldset class="action-group action-group-wide">
            <legend>{ format!("Edit task definition {} and register a new revision", props.family) }</legend>
            <label class="field field-wide"><span>{ "RegisterTaskDefinition input (JSON)" }</span>
                <textarea rows="10" spellcheck="false" value={(*text).clone()} {oninput} data-testid="revision-editor"
                    aria-invalid={(errors > 0).to_string()} aria-describedby="revision-findings" /></label>
            <ul id="revision-findings" class="revision-findings" data-testid="revision-findings" aria-live="polite">
                if findings.is_empty() { <li class="finding-none">{ "No findings: AWS would register it." }</li> }
                { for findings.iter().take(8).map(|d| html! {
                    <li class={format!("finding finding-{}", d.severity.as_str())}>
                        <strong>{ d.severity.as_str() }</strong>{ format!(" {}: {}", d.path, d.message) }</li>
                }) }
                if findings.len() > 8 { <li>{ format!("and {} more", findings.len() - 8) }</li> }
            </ul>
            <label class="field field-inline"><input ref={deploy_ref} type="checkbox" checked=true /><span>{ format!("deploy it to {}", props.service) }</span></label>
            <button type="button" class="button" disabled={errors > 0} onclick={register}>{ "Register revision" }</button>
        </fieldset>
    }
}
