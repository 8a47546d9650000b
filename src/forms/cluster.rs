//! The cluster form over the cluster document (`ecs_engine::console`):
//! the CreateCluster request, instance groups and capacity providers.

use ecs_engine::console::instance_type_families;
use ecs_engine::json::JsonPath;
use ecs_engine::Diagnostic;
use serde_json::{json, Value};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::fields::{
    action_button, field, row_actions, unparsed_notice, ChoicesField, Doc, NumberField, NumberKind,
    SelectField, SyncedSelect, F,
};

#[derive(Properties, PartialEq)]
pub struct ClusterFormProps {
    pub text: AttrValue,
    #[prop_or_default]
    pub diagnostics: Vec<Diagnostic>,
    pub on_change: Callback<String>,
}

const COUNT: NumberKind = NumberKind::Integer { min: 0, max: 1000 };

#[function_component(ClusterForm)]
pub fn cluster_form(props: &ClusterFormProps) -> Html {
    let doc = Doc::new(
        &props.text,
        props.diagnostics.clone(),
        props.on_change.clone(),
        "cl",
    );
    if doc.root.is_none() {
        return unparsed_notice();
    }
    let cluster = JsonPath::root().key("cluster");
    html! {
        <form class="json-form" aria-label="Cluster form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset class="form-section">
                <legend>{ "Cluster" }</legend>
                { field(&doc, cluster.key("clusterName"), "Cluster name", F::Required("default")) }
            </fieldset>
            { instance_groups(&doc) }
            { capacity_providers(&doc) }
            { default_strategy(&doc) }
        </form>
    }
}

fn instance_groups(doc: &Doc) -> Html {
    let groups = JsonPath::root().key("instanceGroups");
    let count = doc.len_at(&groups);
    let add = {
        let (d, g) = (doc.clone(), groups.clone());
        action_button("Add instance group", "form-button-add", move || {
            d.insert(
                &g,
                count,
                json!({"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 1, "attributes": []}),
            )
        })
    };
    html! {
        <fieldset class="form-section">
            <legend>{ format!("Instance groups ({count})") }</legend>
            { for (0..count).map(|i| instance_group(doc, &groups, i)) }
            { add }
        </fieldset>
    }
}

fn instance_group(doc: &Doc, groups: &JsonPath, index: usize) -> Html {
    let at = groups.index(index);
    let type_path = at.key("instanceType");
    let current = doc.text_at(&type_path);
    let id = doc.id(&type_path);
    let onchange = {
        let (d, p) = (doc.clone(), type_path.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                d.set(&p, Value::String(select.value()));
            }
        })
    };
    let families = instance_type_families();
    let known = families
        .iter()
        .any(|(_, types)| types.iter().any(|t| t.name == current));
    let groups_html = families.iter().map(|(family, types)| {
        html! {
            <optgroup label={family.to_string()}>
                { for types.iter().map(|t| html! {
                    <option value={t.name.clone()} selected={t.name == current}>
                        { format!("{} — {} vCPU, {} GiB", t.name, t.vcpus, t.memory_mib / 1024) }
                    </option>
                }) }
            </optgroup>
        }
    });
    let attributes = at.key("attributes");
    let attribute_count = doc.len_at(&attributes);
    let attribute_rows = (0..attribute_count).map(|i| {
        let a = attributes.index(i);
        html! {
            <div class="form-row" key={i}>
                { field(doc, a.key("name"), format!("Attribute {} name", i + 1), F::Required("")) }
                { field(doc, a.key("value"), format!("Attribute {} value", i + 1), F::Text("")) }
                { row_actions(doc, &attributes, i, &format!("attribute {}", i + 1), false) }
            </div>
        }
    });
    let add_attribute = {
        let (d, a) = (doc.clone(), attributes.clone());
        action_button("Add attribute", "form-button-add", move || {
            d.insert(&a, attribute_count, json!({"name": "", "value": ""}))
        })
    };
    let noun = format!("instance group {}", index + 1);
    html! {
        <fieldset class="form-card" key={index}>
            <legend>{ format!("Instance group {}", index + 1) }</legend>
            { row_actions(doc, groups, index, &noun, true) }
            <div class="field-grid field-grid-3">
                <div class="field">
                    <label for={id.clone()}>{ "Instance type" }</label>
                    <SyncedSelect id={id} value={current.clone()} onchange={onchange}>
                        if !known {
                            <option value={current.clone()} selected=true>{ if current.is_empty() { "Choose an instance type".to_string() } else { format!("{current} (not in the catalogue)") } }</option>
                        }
                        { for groups_html }
                    </SyncedSelect>
                </div>
                { field(doc, at.key("availabilityZone"), "Availability Zone", F::Required("us-east-1a")) }
                <NumberField doc={doc.clone()} path={at.key("count")} label="Instances" kind={COUNT} optional={false} />
            </div>
            <fieldset class="form-subsection">
                <legend>{ "Custom attributes" }</legend>
                { for attribute_rows }
                { add_attribute }
            </fieldset>
        </fieldset>
    }
}

fn capacity_providers(doc: &Doc) -> Html {
    let providers = JsonPath::root().key("capacityProviders");
    let count = doc.len_at(&providers);
    let rows = (0..count).map(|i| {
        let at = providers.index(i);
        let scaling = at.key("autoScalingGroupProvider").key("managedScaling");
        html! {
            <div class="form-row" key={i}>
                { field(doc, at.key("name"), format!("Provider {} name", i + 1), F::Required("")) }
                <SelectField doc={doc.clone()} path={scaling.key("status")} label={format!("Provider {} managed scaling", i + 1)}
                    options={vec![("ENABLED".into(), "Turned on".into()), ("DISABLED".into(), "Turned off".into())]} />
                { field(doc, scaling.key("targetCapacity"), format!("Provider {} target capacity %", i + 1), F::Number(NumberKind::Integer { min: 1, max: 100 }, "")) }
                { row_actions(doc, &providers, i, &format!("capacity provider {}", i + 1), false) }
            </div>
        }
    });
    let add = {
        let (d, p) = (doc.clone(), providers.clone());
        action_button(
            "Add Auto Scaling group provider",
            "form-button-add",
            move || {
                d.insert(
                    &p,
                    count,
                    json!({
                        "name": format!("asg-provider-{}", count + 1),
                        "autoScalingGroupProvider": {
                            "autoScalingGroupArn": "",
                            "managedScaling": {"status": "ENABLED", "targetCapacity": 100}
                        }
                    }),
                )
            },
        )
    };
    let mut choices = vec![
        ("FARGATE".to_string(), "FARGATE".to_string()),
        ("FARGATE_SPOT".to_string(), "FARGATE_SPOT".to_string()),
    ];
    for name in asg_names(doc) {
        choices.push((name.clone(), name));
    }
    html! {
        <fieldset class="form-section">
            <legend>{ "Capacity providers" }</legend>
            <ChoicesField doc={doc.clone()} path={JsonPath::root().key("cluster").key("capacityProviders")}
                legend="Associated with the cluster" choices={choices} />
            <fieldset class="form-subsection">
                <legend>{ "Auto Scaling group providers" }</legend>
                { for rows }
                { add }
            </fieldset>
        </fieldset>
    }
}

fn asg_names(doc: &Doc) -> Vec<String> {
    let providers = JsonPath::root().key("capacityProviders");
    (0..doc.len_at(&providers))
        .map(|i| doc.text_at(&providers.index(i).key("name")))
        .filter(|n| !n.is_empty() && n != "FARGATE" && n != "FARGATE_SPOT")
        .collect()
}

fn default_strategy(doc: &Doc) -> Html {
    let cluster = JsonPath::root().key("cluster");
    let strategy = cluster.key("defaultCapacityProviderStrategy");
    let associated = doc.strings_at(&cluster.key("capacityProviders"));
    let options: Vec<(String, String)> =
        associated.iter().map(|n| (n.clone(), n.clone())).collect();
    let count = doc.len_at(&strategy);
    let rows = (0..count).map(|i| {
        let at = strategy.index(i);
        html! {
            <div class="form-row" key={i}>
                <SelectField doc={doc.clone()} path={at.key("capacityProvider")} label={format!("Strategy provider {}", i + 1)} options={options.clone()} optional={false} />
                { field(doc, at.key("base"), format!("Strategy base {}", i + 1), F::Number(NumberKind::Integer { min: 0, max: 100_000 }, "")) }
                { field(doc, at.key("weight"), format!("Strategy weight {}", i + 1), F::Number(NumberKind::Integer { min: 0, max: 1000 }, "")) }
                { row_actions(doc, &strategy, i, &format!("strategy provider {}", i + 1), false) }
            </div>
        }
    });
    let first = associated
        .first()
        .cloned()
        .unwrap_or_else(|| "FARGATE".into());
    let add = {
        let (d, s) = (doc.clone(), strategy.clone());
        action_button("Add to default strategy", "form-button-add", move || {
            d.insert(
                &s,
                count,
                json!({"capacityProvider": first.clone(), "weight": 1}),
            )
        })
    };
    html! {
        <fieldset class="form-section">
            <legend>{ "Default capacity provider strategy" }</legend>
            { for rows }
            { add }
        </fieldset>
    }
}
