//! The task definition form: the task's common fields and its containers.

use ecs_engine::json::JsonPath;
use ecs_engine::units::{fargate_size, parse_cpu_units, FARGATE_SIZES};
use ecs_engine::Diagnostic;
use serde_json::json;
use yew::prelude::*;

use super::fields::{
    action_button, field, row_actions, unparsed_notice, ChoicesField, Doc, NumberKind, SelectField,
    F,
};

#[derive(Properties, PartialEq)]
pub struct TaskDefinitionFormProps {
    pub text: AttrValue,
    pub diagnostics: Vec<Diagnostic>,
    pub on_change: Callback<String>,
}

const PORT: NumberKind = NumberKind::Integer { min: 0, max: 65535 };
const COUNT: NumberKind = NumberKind::Integer {
    min: 0,
    max: 1_000_000,
};

#[function_component(TaskDefinitionForm)]
pub fn task_definition_form(props: &TaskDefinitionFormProps) -> Html {
    let doc = Doc::new(
        &props.text,
        props.diagnostics.clone(),
        props.on_change.clone(),
        "td",
    );
    if doc.root.is_none() {
        return unparsed_notice();
    }
    let root = JsonPath::root();
    let containers = root.key("containerDefinitions");
    let count = doc.len_at(&containers);
    let add_container = {
        let (d, c) = (doc.clone(), containers.clone());
        action_button("Add container", "form-button-add", move || {
            d.insert(
                &c,
                count,
                json!({"name": format!("container-{}", count + 1), "image": "", "essential": true}),
            )
        })
    };
    html! {
        <form class="json-form" aria-label="Task definition form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset class="form-section">
                <legend>{ "Task" }</legend>
                <div class="field-grid">
                    { field(&doc, root.key("family"), "Family", F::Required("my-app")) }
                    { field(&doc, root.key("networkMode"), "Network mode", F::Select(&["awsvpc", "bridge", "host", "none"])) }
                </div>
                <ChoicesField doc={doc.clone()} path={root.key("requiresCompatibilities")} legend="Launch type compatibility"
                    choices={vec![("EC2".into(), "Amazon EC2 instances".into()), ("FARGATE".into(), "AWS Fargate".into())]} />
                { task_size(&doc) }
                <div class="field-grid">
                    { field(&doc, root.key("taskRoleArn"), "Task role ARN", F::Text("arn:aws:iam::123456789012:role/app")) }
                    { field(&doc, root.key("executionRoleArn"), "Task execution role ARN", F::Text("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")) }
                </div>
                <fieldset class="form-subsection">
                    <legend>{ "Runtime platform" }</legend>
                    <div class="field-grid">
                        { field(&doc, root.key("runtimePlatform").key("operatingSystemFamily"), "Operating system family", F::Select(&["LINUX", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2022_CORE"])) }
                        { field(&doc, root.key("runtimePlatform").key("cpuArchitecture"), "CPU architecture", F::Select(&["X86_64", "ARM64"])) }
                    </div>
                </fieldset>
            </fieldset>
            <fieldset class="form-section">
                <legend>{ format!("Containers ({count})") }</legend>
                { for (0..count).map(|i| container(&doc, &containers, i)) }
                { add_container }
            </fieldset>
        </form>
    }
}

/// Task CPU and memory: on Fargate only the valid pairs are offered.
fn task_size(doc: &Doc) -> Html {
    let root = JsonPath::root();
    let fargate = doc
        .strings_at(&root.key("requiresCompatibilities"))
        .iter()
        .any(|c| c == "FARGATE");
    if !fargate {
        return html! {
            <div class="field-grid">
                { field(doc, root.key("cpu"), "Task CPU (units or vCPU)", F::Number(NumberKind::TaskCpu, "256")) }
                { field(doc, root.key("memory"), "Task memory (MiB or GB)", F::Number(NumberKind::TaskMemory, "512")) }
            </div>
        };
    }
    let cpu_options = FARGATE_SIZES
        .iter()
        .map(|s| {
            (
                s.cpu.to_string(),
                format!("{} vCPU ({} units)", vcpus(s.cpu), s.cpu),
            )
        })
        .collect::<Vec<_>>();
    let cpu = parse_cpu_units(&doc.text_at(&root.key("cpu")));
    let memory_options = cpu
        .and_then(fargate_size)
        .map(|size| {
            size.memory_choices()
                .into_iter()
                .map(|m| (m.to_string(), memory_label(m)))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    html! {
        <div class="field-grid">
            <SelectField doc={doc.clone()} path={root.key("cpu")} label="Task CPU (Fargate sizes)" options={cpu_options} />
            <SelectField doc={doc.clone()} path={root.key("memory")} label="Task memory (valid for this CPU)" options={memory_options} />
        </div>
    }
}

fn vcpus(cpu: u32) -> String {
    let whole = cpu / 1024;
    match cpu % 1024 {
        0 => whole.to_string(),
        256 => format!("{whole}.25"),
        512 => format!("{whole}.5"),
        _ => format!("{cpu}/1024"),
    }
}

fn memory_label(mib: u32) -> String {
    if mib >= 1024 && mib.is_multiple_of(1024) {
        format!("{} GB", mib / 1024)
    } else {
        format!("{mib} MiB")
    }
}

fn container(doc: &Doc, containers: &JsonPath, index: usize) -> Html {
    let at = containers.index(index);
    let name = doc.text_at(&at.key("name"));
    let noun = if name.is_empty() {
        format!("container {}", index + 1)
    } else {
        format!("container {name}")
    };
    html! {
        <fieldset class="form-card" key={index}>
            <legend>{ format!("Container {}: {}", index + 1, if name.is_empty() { "(unnamed)" } else { &name }) }</legend>
            { row_actions(doc, containers, index, &noun, true) }
            <div class="field-grid">
                { field(doc, at.key("name"), "Name", F::Required("")) }
                { field(doc, at.key("image"), "Image", F::Required("public.ecr.aws/nginx/nginx:latest")) }
            </div>
            { field(doc, at.key("essential"), "Essential container", F::Check(true)) }
            <div class="field-grid field-grid-3">
                { field(doc, at.key("cpu"), "CPU units", F::Number(COUNT, "")) }
                { field(doc, at.key("memory"), "Memory hard limit (MiB)", F::Number(COUNT, "")) }
                { field(doc, at.key("memoryReservation"), "Memory soft limit (MiB)", F::Number(COUNT, "")) }
            </div>
            { port_mappings(doc, &at) }
            { environment(doc, &at) }
            { health_check(doc, &at) }
            { log_configuration(doc, &at) }
        </fieldset>
    }
}

fn port_mappings(doc: &Doc, container: &JsonPath) -> Html {
    let list = container.key("portMappings");
    let count = doc.len_at(&list);
    let rows = (0..count).map(|i| {
        let at = list.index(i);
        html! {
            <div class="form-row" key={i}>
                { field(doc, at.key("containerPort"), format!("Container port {}", i + 1), F::Number(PORT, "")) }
                { field(doc, at.key("hostPort"), format!("Host port {}", i + 1), F::Number(PORT, "")) }
                { field(doc, at.key("protocol"), format!("Protocol {}", i + 1), F::Select(&["tcp", "udp"])) }
                { field(doc, at.key("name"), format!("Port name {}", i + 1), F::Text("")) }
                { field(doc, at.key("appProtocol"), format!("App protocol {}", i + 1), F::Select(&["http", "http2", "grpc"])) }
                { row_actions(doc, &list, i, &format!("port mapping {}", i + 1), false) }
            </div>
        }
    });
    let add = {
        let (d, l) = (doc.clone(), list.clone());
        action_button("Add port mapping", "form-button-add", move || {
            d.insert(&l, count, json!({"containerPort": 80, "protocol": "tcp"}))
        })
    };
    html! {
        <fieldset class="form-subsection">
            <legend>{ "Port mappings" }</legend>
            { for rows }
            { add }
        </fieldset>
    }
}

fn environment(doc: &Doc, container: &JsonPath) -> Html {
    let list = container.key("environment");
    let count = doc.len_at(&list);
    let rows = (0..count).map(|i| {
        let at = list.index(i);
        html! {
            <div class="form-row" key={i}>
                { field(doc, at.key("name"), format!("Variable {} name", i + 1), F::Required("")) }
                { field(doc, at.key("value"), format!("Variable {} value", i + 1), F::Required("")) }
                { row_actions(doc, &list, i, &format!("variable {}", i + 1), false) }
            </div>
        }
    });
    let add = {
        let (d, l) = (doc.clone(), list.clone());
        action_button("Add environment variable", "form-button-add", move || {
            d.insert(&l, count, json!({"name": "", "value": ""}))
        })
    };
    html! {
        <fieldset class="form-subsection">
            <legend>{ "Environment variables" }</legend>
            { for rows }
            { add }
        </fieldset>
    }
}

fn health_check(doc: &Doc, container: &JsonPath) -> Html {
    let check = container.key("healthCheck");
    let command = check.key("command");
    let form = doc.text_at(&command.index(0));
    let seconds = NumberKind::Integer { min: 0, max: 300 };
    let command_field = if form == "CMD-SHELL" || doc.node(&command).is_none() {
        let shell = command.index(1);
        let current = doc.text_at(&shell);
        let oninput = {
            let (d, cmd) = (doc.clone(), command.clone());
            Callback::from(move |e: InputEvent| {
                if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                    let value = input.value();
                    if value.is_empty() {
                        d.remove(&cmd);
                    } else {
                        d.set(&cmd, json!(["CMD-SHELL", value]));
                    }
                }
            })
        };
        let id = doc.id(&shell);
        html! {
            <div class="field field-wide">
                <label for={id.clone()}>{ "Command (run by the shell, CMD-SHELL)" }</label>
                <input id={id} type="text" value={current} oninput={oninput} spellcheck="false" autocomplete="off"
                    placeholder="curl -f http://localhost/ || exit 1" />
            </div>
        }
    } else {
        html! { <p class="form-notice">{ "This health check uses the exec form (CMD); edit its command in the JSON view." }</p> }
    };
    html! {
        <fieldset class="form-subsection">
            <legend>{ "Health check" }</legend>
            { command_field }
            <div class="field-grid field-grid-4">
                { field(doc, check.key("interval"), "Interval (seconds)", F::Number(seconds, "30")) }
                { field(doc, check.key("timeout"), "Timeout (seconds)", F::Number(seconds, "5")) }
                { field(doc, check.key("retries"), "Retries", F::Number(NumberKind::Integer { min: 0, max: 10 }, "3")) }
                { field(doc, check.key("startPeriod"), "Start period (seconds)", F::Number(seconds, "0")) }
            </div>
        </fieldset>
    }
}

fn log_configuration(doc: &Doc, container: &JsonPath) -> Html {
    let log = container.key("logConfiguration");
    let options_path = log.key("options");
    let awslogs = doc.text_at(&log.key("logDriver")) == "awslogs";
    html! {
        <fieldset class="form-subsection">
            <legend>{ "Logging" }</legend>
            { field(doc, log.key("logDriver"), "Log driver", F::Select(&["awslogs", "awsfirelens", "json-file", "fluentd", "gelf", "journald", "syslog", "splunk"])) }
            if awslogs {
                <div class="field-grid field-grid-3">
                    { field(doc, options_path.key("awslogs-group"), "awslogs-group", F::Text("/ecs/web-app")) }
                    { field(doc, options_path.key("awslogs-region"), "awslogs-region", F::Text("us-east-1")) }
                    { field(doc, options_path.key("awslogs-stream-prefix"), "awslogs-stream-prefix", F::Text("ecs")) }
                </div>
            }
        </fieldset>
    }
}
