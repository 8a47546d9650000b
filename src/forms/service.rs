//! The service form over a CreateService request, with the console's words
//! for deployment options and placement templates.

use ecs_engine::console::PlacementTemplate;
use ecs_engine::json::JsonPath;
use ecs_engine::Diagnostic;
use serde_json::{json, Value};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::fields::{
    action_button, field, row_actions, section_messages, unparsed_notice, CommaListField, Doc,
    NumberKind, SelectField, SyncedSelect, F,
};

#[derive(Properties, PartialEq)]
pub struct ServiceFormProps {
    pub text: AttrValue,
    pub diagnostics: Vec<Diagnostic>,
    pub on_change: Callback<String>,
}

const PERCENT: NumberKind = NumberKind::Integer { min: 0, max: 200 };
const MAX_PERCENT: NumberKind = NumberKind::Integer {
    min: 100,
    max: 1000,
};
const WEIGHT: NumberKind = NumberKind::Integer { min: 0, max: 1000 };
const BASE: NumberKind = NumberKind::Integer {
    min: 0,
    max: 100_000,
};
const PORT: NumberKind = NumberKind::Integer { min: 0, max: 65535 };

#[function_component(ServiceForm)]
pub fn service_form(props: &ServiceFormProps) -> Html {
    let doc = Doc::new(
        &props.text,
        props.diagnostics.clone(),
        props.on_change.clone(),
        "svc",
    );
    if doc.root.is_none() {
        return unparsed_notice();
    }
    let root = JsonPath::root();
    html! {
        <form class="json-form" aria-label="Service form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset class="form-section">
                <legend>{ "Service" }</legend>
                { section_messages(&doc, std::slice::from_ref(&root)) }
                <div class="field-grid">
                    { field(&doc, root.key("serviceName"), "Service name", F::Required("")) }
                    { field(&doc, root.key("desiredCount"), "Desired tasks", F::Number(NumberKind::Integer { min: 0, max: 100_000 }, "")) }
                </div>
                <div class="field-grid">
                    { field(&doc, root.key("cluster"), "Cluster", F::Text("")) }
                    { field(&doc, root.key("taskDefinition"), "Task definition (family:revision)", F::Text("")) }
                </div>
            </fieldset>
            { compute(&doc) }
            { deployment(&doc) }
            { placement(&doc) }
            { networking(&doc) }
            { service_connect(&doc) }
        </form>
    }
}

fn compute(doc: &Doc) -> Html {
    let root = JsonPath::root();
    let strategy = root.key("capacityProviderStrategy");
    let uses_strategy = doc.node(&strategy).is_some();
    let choose = |use_strategy: bool| {
        let d = doc.clone();
        let strategy = strategy.clone();
        Callback::from(move |_: Event| {
            let launch_type = JsonPath::root().key("launchType");
            if use_strategy {
                d.batch(&[
                    (launch_type.clone(), None),
                    (
                        strategy.clone(),
                        Some(json!([{"capacityProvider": "FARGATE", "base": 0, "weight": 1}])),
                    ),
                ]);
            } else {
                d.batch(&[
                    (strategy.clone(), None),
                    (launch_type.clone(), Some(json!("EC2"))),
                ]);
            }
        })
    };
    let count = doc.len_at(&strategy);
    let rows = (0..count).map(|i| {
        let at = strategy.index(i);
        html! {
            <div class="form-row" key={i}>
                { field(doc, at.key("capacityProvider"), format!("Capacity provider {}", i + 1), F::Required("")) }
                { field(doc, at.key("base"), format!("Base {}", i + 1), F::Number(BASE, "")) }
                { field(doc, at.key("weight"), format!("Weight {}", i + 1), F::Number(WEIGHT, "")) }
                { row_actions(doc, &strategy, i, &format!("capacity provider {}", i + 1), false) }
            </div>
        }
    });
    let add = {
        let (d, s) = (doc.clone(), strategy.clone());
        action_button("Add capacity provider", "form-button-add", move || {
            d.insert(
                &s,
                count,
                json!({"capacityProvider": "FARGATE_SPOT", "weight": 1}),
            )
        })
    };
    html! {
        <fieldset class="form-section">
            <legend>{ "Compute configuration" }</legend>
            { section_messages(doc, std::slice::from_ref(&strategy)) }
            <fieldset class="radio-row">
                <legend class="visually-hidden">{ "Compute options" }</legend>
                <span class="choice">
                    <input type="radio" id="svc-compute-strategy" name="svc-compute" checked={uses_strategy} onchange={choose(true)} />
                    <label for="svc-compute-strategy">{ "Capacity provider strategy" }</label>
                </span>
                <span class="choice">
                    <input type="radio" id="svc-compute-launch" name="svc-compute" checked={!uses_strategy} onchange={choose(false)} />
                    <label for="svc-compute-launch">{ "Launch type" }</label>
                </span>
            </fieldset>
            if uses_strategy {
                { for rows }
                { add }
            } else {
                <SelectField doc={doc.clone()} path={root.key("launchType")} label="Launch type"
                    options={vec![("EC2".into(), "EC2".into()), ("FARGATE".into(), "FARGATE".into()), ("EXTERNAL".into(), "EXTERNAL".into())]} />
            }
        </fieldset>
    }
}

fn deployment(doc: &Doc) -> Html {
    let config = JsonPath::root().key("deploymentConfiguration");
    let breaker = config.key("deploymentCircuitBreaker");
    let enabled = doc.bool_at(&breaker.key("enable")).unwrap_or(false);
    html! {
        <fieldset class="form-section">
            <legend>{ "Deployment options" }</legend>
            { section_messages(doc, &[config.clone(), breaker.clone()]) }
            <div class="field-grid">
                { field(doc, config.key("minimumHealthyPercent"), "Min running tasks %", F::Number(PERCENT, "100")) }
                { field(doc, config.key("maximumPercent"), "Max running tasks %", F::Number(MAX_PERCENT, "200")) }
            </div>
            { field(doc, breaker.key("enable"), "Use the Amazon ECS deployment circuit breaker", F::Check(false)) }
            if enabled {
                { field(doc, breaker.key("rollback"), "Rollback on failure", F::Check(false)) }
            }
        </fieldset>
    }
}

fn placement(doc: &Doc) -> Html {
    let root_node = doc.root.as_deref();
    let current = root_node.map_or(PlacementTemplate::None, PlacementTemplate::recognise);
    let fargate = doc.text_at(&JsonPath::root().key("launchType")) == "FARGATE";
    let onchange = {
        let d = doc.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let Some((strategy, constraints)) =
                PlacementTemplate::from_id(&select.value()).and_then(PlacementTemplate::json)
            else {
                return;
            };
            let root = JsonPath::root();
            d.batch(&[
                (root.key("placementStrategy"), strategy),
                (root.key("placementConstraints"), constraints),
            ]);
        })
    };
    let options = PlacementTemplate::ALL.iter().filter_map(|t| {
        // Custom is a description of the JSON, not a choice to make.
        if *t == PlacementTemplate::Custom && current != PlacementTemplate::Custom {
            return None;
        }
        Some(html! { <option value={t.id()} selected={*t == current}>{ t.label() }</option> })
    });
    html! {
        <fieldset class="form-section">
            <legend>{ "Task placement" }</legend>
            { section_messages(doc, &[JsonPath::root().key("placementStrategy"), JsonPath::root().key("placementConstraints")]) }
            <div class="field">
                <label for="svc-placement-template">{ "Placement template" }</label>
                <SyncedSelect id="svc-placement-template" value={current.id()} onchange={onchange}
                    described_by={Some("svc-placement-explanation".to_string())}>
                    { for options }
                </SyncedSelect>
                <p id="svc-placement-explanation" class="field-hint">
                    { current.explanation() }
                    if fargate { { " Fargate ignores placement strategies and constraints." } }
                </p>
            </div>
        </fieldset>
    }
}

fn networking(doc: &Doc) -> Html {
    let vpc = JsonPath::root()
        .key("networkConfiguration")
        .key("awsvpcConfiguration");
    let public = vpc.key("assignPublicIp");
    let on = doc.text_at(&public) == "ENABLED";
    let onchange = {
        let (d, p) = (doc.clone(), public.clone());
        Callback::from(move |_: Event| {
            d.set(
                &p,
                Value::String(if on { "DISABLED" } else { "ENABLED" }.into()),
            )
        })
    };
    html! {
        <fieldset class="form-section">
            <legend>{ "Networking (awsvpc network mode)" }</legend>
            { section_messages(doc, &[JsonPath::root().key("networkConfiguration"), vpc.clone()]) }
            <CommaListField doc={doc.clone()} path={vpc.key("subnets")} label="Subnets (comma-separated)" placeholder="subnet-0a1b2c3d, subnet-4e5f6a7b" />
            <CommaListField doc={doc.clone()} path={vpc.key("securityGroups")} label="Security groups (comma-separated)" placeholder="sg-0123456789abcdef0" />
            <div class="field field-check">
                <input id="svc-public-ip" type="checkbox" checked={on} onchange={onchange} />
                <label for="svc-public-ip">{ "Public IP (assignPublicIp)" }</label>
            </div>
        </fieldset>
    }
}

fn service_connect(doc: &Doc) -> Html {
    let sc = JsonPath::root().key("serviceConnectConfiguration");
    let enabled = doc.bool_at(&sc.key("enabled")).unwrap_or(false);
    let services = sc.key("services");
    let count = doc.len_at(&services);
    let rows = (0..count).map(|i| {
        let at = services.index(i);
        let alias = at.key("clientAliases").index(0);
        html! {
            <fieldset class="form-card" key={i}>
                <legend>{ format!("Service Connect service {}", i + 1) }</legend>
                <div class="form-row">
                    { field(doc, at.key("portName"), format!("Port name {}", i + 1), F::Required("")) }
                    { field(doc, at.key("discoveryName"), format!("Discovery name {}", i + 1), F::Text("")) }
                    { field(doc, alias.key("port"), format!("Client alias port {}", i + 1), F::Number(PORT, "")) }
                    { field(doc, alias.key("dnsName"), format!("Client alias DNS name {}", i + 1), F::Text("")) }
                    { row_actions(doc, &services, i, &format!("Service Connect service {}", i + 1), false) }
                </div>
            </fieldset>
        }
    });
    let add = {
        let (d, s) = (doc.clone(), services.clone());
        action_button(
            "Add Service Connect service",
            "form-button-add",
            move || {
                d.insert(
                    &s,
                    count,
                    json!({"portName": "http", "clientAliases": [{"port": 80}]}),
                )
            },
        )
    };
    html! {
        <fieldset class="form-section">
            <legend>{ "Service Connect" }</legend>
            { section_messages(doc, &[sc.clone(), services.clone()]) }
            { field(doc, sc.key("enabled"), "Turn on Service Connect", F::Check(false)) }
            if enabled {
                { field(doc, sc.key("namespace"), "Namespace", F::Text("internal")) }
                { for rows }
                { add }
            }
        </fieldset>
    }
}
