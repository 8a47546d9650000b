//! The cluster form over the cluster document (`ecs_engine::console`): a
//! CreateCluster request plus the playground's instance groups.

use ecs_engine::console::{instance_group_providers, instance_type_families};
use ecs_engine::json::{edit, JsonPath};
use ecs_engine::Diagnostic;
use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::fields::{
    action_button, field, row_actions, section_messages, unparsed_notice, ChoicesField,
    CommaListField, Doc, NumberField, NumberKind, SelectField, SyncedSelect, F,
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
    let cluster = JsonPath::root();
    html! {
        <form class="json-form" aria-label="Cluster form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset class="form-section">
                <legend>{ "Cluster" }</legend>
                { section_messages(&doc, std::slice::from_ref(&cluster)) }
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
                json!({"name": format!("group-{}", count + 1), "instanceType": "m5.large", "availabilityZones": ["us-east-1a"], "count": 1}),
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
    let names: Vec<String> = doc
        .node(&attributes)
        .map(|n| n.members().iter().map(|m| m.key.clone()).collect())
        .unwrap_or_default();
    let attribute_rows = names
        .iter()
        .enumerate()
        .map(|(i, name)| attribute_row(doc, &attributes, i, name));
    let attribute_count = names.len();
    let add_attribute = {
        let (d, a) = (doc.clone(), attributes.clone());
        let taken = names.clone();
        action_button("Add attribute", "form-button-add", move || {
            let fresh = (attribute_count + 1..)
                .map(|n| format!("attribute-{n}"))
                .find(|k| !taken.contains(k))
                .unwrap_or_default();
            d.set(&a.key(&fresh), json!(""))
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
                { field(doc, at.key("name"), "Group name", F::Text("web")) }
                <NumberField doc={doc.clone()} path={at.key("count")} label="Instances" kind={COUNT} optional={false} />
            </div>
            <div class="field-grid">
                <CommaListField doc={doc.clone()} path={at.key("availabilityZones")} label="Availability Zones (comma-separated)" placeholder="us-east-1a, us-east-1b" />
                { field(doc, at.key("capacityProvider"), "Auto Scaling group capacity provider", F::Text("web-asg")) }
            </div>
            <fieldset class="form-subsection">
                <legend>{ "Custom attributes" }</legend>
                { for attribute_rows }
                { add_attribute }
            </fieldset>
        </fieldset>
    }
}

/// One custom attribute: its name is the member's key (renamed in place)
/// and its value the member's string.
fn attribute_row(doc: &Doc, attributes: &JsonPath, index: usize, name: &str) -> Html {
    let at = attributes.key(name);
    let name_id = format!("{}-name{index}", doc.id(attributes));
    let rename = {
        let (d, at) = (doc.clone(), at.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let new_name = input.value();
                // An empty or duplicate name is refused by the engine; the
                // field keeps what was typed until it is valid.
                if let Ok(edited) = edit::rename(&d.text, &at, &new_name) {
                    d.on_change.emit(edited.text);
                }
            }
        })
    };
    let remove = {
        let (d, at) = (doc.clone(), at.clone());
        move || d.remove(&at)
    };
    html! {
        <div class="form-row" key={index}>
            <div class="field">
                <label for={name_id.clone()}>{ format!("Attribute {} name", index + 1) }</label>
                <input id={name_id} type="text" value={name.to_string()} oninput={rename} spellcheck="false" autocomplete="off" />
            </div>
            { field(doc, at, format!("Attribute {} value", index + 1), F::Required("")) }
            <div class="row-actions">
                { action_button(&format!("Remove attribute {}", index + 1), "form-button-danger", remove) }
            </div>
        </div>
    }
}

fn capacity_providers(doc: &Doc) -> Html {
    let mut choices = vec![
        ("FARGATE".to_string(), "FARGATE".to_string()),
        ("FARGATE_SPOT".to_string(), "FARGATE_SPOT".to_string()),
    ];
    let asg = doc
        .root
        .as_deref()
        .map(instance_group_providers)
        .unwrap_or_default();
    for name in asg {
        let label = format!("{name} (Auto Scaling group)");
        choices.push((name, label));
    }
    html! {
        <fieldset class="form-section">
            <legend>{ "Capacity providers" }</legend>
            <ChoicesField doc={doc.clone()} path={JsonPath::root().key("capacityProviders")}
                legend="Associated with the cluster" choices={choices} />
            <p class="field-hint">{ "An Auto Scaling group provider appears here once an instance group names it." }</p>
        </fieldset>
    }
}

fn default_strategy(doc: &Doc) -> Html {
    let cluster = JsonPath::root();
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
            { section_messages(doc, std::slice::from_ref(&strategy)) }
            { for rows }
            { add }
        </fieldset>
    }
}
