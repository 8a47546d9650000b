//! Recognising which form of task definition the user pasted.

use serde::{Deserialize, Serialize};

use crate::check::Located;
use crate::json::{JsonPath, Node};

/// The shapes a task definition arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InputForm {
    /// `aws ecs register-task-definition --cli-input-json` input.
    RegisterInput,
    /// `aws ecs describe-task-definition` output: `{"taskDefinition": {...}}`.
    DescribeOutput,
    /// A bare array of container definitions (Terraform's `container_definitions`).
    ContainerDefinitions,
}

impl InputForm {
    pub fn describe(self) -> &'static str {
        match self {
            InputForm::RegisterInput => "RegisterTaskDefinition input",
            InputForm::DescribeOutput => "describe-task-definition output",
            InputForm::ContainerDefinitions => "a bare containerDefinitions array",
        }
    }
}

/// Where the task definition sits inside the document, and in which form.
pub struct Recognised<'a> {
    pub form: InputForm,
    pub task_def: Located<'a>,
}

/// Finds the task definition in `root`, or says why there is none.
pub fn recognise(root: &Node) -> Result<Recognised<'_>, String> {
    if root.is_array() {
        return Ok(Recognised {
            form: InputForm::ContainerDefinitions,
            task_def: Located::root(root, JsonPath::root()),
        });
    }
    if !root.is_object() {
        return Err(format!(
            "expected a task definition (a JSON object), found {}",
            root.type_name()
        ));
    }
    if let Some(member) = root.member("taskDefinition") {
        if member.value.is_object() {
            return Ok(Recognised {
                form: InputForm::DescribeOutput,
                task_def: Located {
                    node: &member.value,
                    path: JsonPath::root().key("taskDefinition"),
                    key_span: Some(member.key_span),
                },
            });
        }
    }
    Ok(Recognised {
        form: InputForm::RegisterInput,
        task_def: Located::root(root, JsonPath::root()),
    })
}
