//! Documents shipped with the engine, such as the editor's starting example.

mod synthetic;

pub use synthetic::synthetic_task_definition;

/// The task definition the playground opens with: a small, valid EC2 web service.
pub const DEFAULT_TASK_DEFINITION: &str = r#"{
  "family": "web-app",
  "networkMode": "bridge",
  "requiresCompatibilities": ["EC2"],
  "containerDefinitions": [
    {
      "name": "web",
      "image": "public.ecr.aws/nginx/nginx:1.27",
      "essential": true,
      "cpu": 256,
      "memory": 512,
      "memoryReservation": 384,
      "portMappings": [
        { "containerPort": 80, "hostPort": 8080, "protocol": "tcp" }
      ],
      "healthCheck": {
        "command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
        "interval": 30,
        "timeout": 5,
        "retries": 3
      }
    },
    {
      "name": "log-router",
      "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
      "essential": false,
      "cpu": 64,
      "memoryReservation": 64,
      "firelensConfiguration": { "type": "fluentbit" }
    }
  ]
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_example_is_valid() {
        let analysis = crate::analyze_task_definition(DEFAULT_TASK_DEFINITION);
        assert_eq!(analysis.diagnostics, vec![]);
        let requirements = analysis.requirements.expect("requirements");
        assert_eq!((requirements.cpu, requirements.memory), (320, 448));
        assert_eq!(requirements.host_ports, vec![8080]);
    }
}
