//! A synthetic task definition for benchmarks: the native one
//! (`benches/import.rs`) and the in-browser one (`tests/bench.rs` of the web
//! package) time the same document.

use serde_json::json;

/// A register-task-definition input of about `target_bytes` with ten
/// containers, each using every ContainerDefinition field, and every
/// task-level field; environment variables pad it to size.
pub fn synthetic_task_definition(target_bytes: usize) -> String {
    let first_half = |i: usize, env: usize| {
        json!({
            "name": format!("app-{i}"),
            "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/app-{i}:1.2.{i}"),
            "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:123456789012:secret:creds"},
            "cpu": 256,
            "memory": 512,
            "memoryReservation": 256,
            "links": if i == 0 { json!([]) } else { json!([format!("app-0:upstream")]) },
            "portMappings": [{"containerPort": 8000 + i, "hostPort": 9000 + i, "protocol": "tcp", "name": format!("http-{i}"), "appProtocol": "http"}],
            "essential": i == 0,
            "restartPolicy": {"enabled": true, "ignoredExitCodes": [0, 143], "restartAttemptPeriod": 60},
            "entryPoint": ["/bin/sh", "-c"],
            "command": [format!("exec /usr/local/bin/app-{i} --port {}", 8000 + i)],
            "environment": (0..env).map(|e| json!({"name": format!("SETTING_{i}_{e}"), "value": format!("value-{e}-{}", "x".repeat(24))})).collect::<Vec<_>>(),
            "environmentFiles": [{"value": "arn:aws:s3:::bucket/app.env", "type": "s3"}],
            "mountPoints": [{"sourceVolume": "data", "containerPath": format!("/data/{i}"), "readOnly": false}],
            "volumesFrom": if i == 0 { json!([]) } else { json!([{"sourceContainer": "app-0", "readOnly": true}]) },
            "linuxParameters": {
                "capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW"]},
                "devices": [{"hostPath": "/dev/fuse", "containerPath": "/dev/fuse", "permissions": ["read", "write"]}],
                "initProcessEnabled": true, "sharedMemorySize": 64,
                "tmpfs": [{"containerPath": "/tmp", "size": 64, "mountOptions": ["rw", "noexec"]}],
                "maxSwap": 1024, "swappiness": 60
            },
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
            "dependsOn": if i == 0 { json!([]) } else { json!([{"containerName": "app-0", "condition": "HEALTHY"}]) },
        })
    };
    // Two halves: one json! of every field exceeds the macro recursion limit.
    let container = |i: usize, env: usize| {
        let mut first = first_half(i, env);
        let second = json!({
            "startTimeout": 120,
            "stopTimeout": 30,
            "versionConsistency": "enabled",
            "hostname": format!("app-{i}"),
            "user": "1000:1000",
            "workingDirectory": "/srv",
            "disableNetworking": false,
            "privileged": false,
            "readonlyRootFilesystem": true,
            "dnsServers": ["10.0.0.2"],
            "dnsSearchDomains": ["example.internal"],
            "extraHosts": [{"hostname": "db", "ipAddress": "10.0.0.10"}],
            "dockerSecurityOptions": ["no-new-privileges"],
            "interactive": false,
            "pseudoTerminal": false,
            "dockerLabels": {"com.example.app": format!("app-{i}")},
            "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": format!("app-{i}")}, "secretOptions": [{"name": "token", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/token"}]},
            "healthCheck": {"command": ["CMD-SHELL", format!("curl -f http://localhost:{}/ || exit 1", 8000 + i)], "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10},
            "systemControls": [{"namespace": "net.core.somaxconn", "value": "1024"}],
            "resourceRequirements": [{"type": "GPU", "value": "1"}],
            "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}},
            "credentialSpecs": ["credentialspecdomainless:arn:aws:s3:::bucket/spec.json"]
        });
        if let (Some(map), serde_json::Value::Object(rest)) = (first.as_object_mut(), second) {
            map.extend(rest);
        }
        first
    };
    let document = |env: usize| {
        json!({
            "family": "synthetic",
            "taskRoleArn": "arn:aws:iam::123456789012:role/task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/execution",
            "networkMode": "bridge",
            "containerDefinitions": (0..10).map(|i| container(i, env)).collect::<Vec<_>>(),
            "volumes": [{"name": "data", "host": {"sourcePath": "/srv/data"}}],
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"}],
            "requiresCompatibilities": ["EC2"],
            "cpu": "4096",
            "memory": "8192",
            "tags": [{"key": "team", "value": "platform"}],
            "pidMode": "task",
            "ipcMode": "task",
            "proxyConfiguration": {"type": "APPMESH", "containerName": "app-0", "properties": [
                {"name": "IgnoredUID", "value": "1337"},
                {"name": "ProxyIngressPort", "value": "15000"},
                {"name": "ProxyEgressPort", "value": "15001"},
                {"name": "AppPorts", "value": "8000"},
                {"name": "EgressIgnoredIPs", "value": "169.254.170.2,169.254.169.254"},
                {"name": "EgressIgnoredPorts", "value": "22"}
            ]},
            "inferenceAccelerators": [],
            "ephemeralStorage": {"sizeInGiB": 30},
            "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
            "enableFaultInjection": false,
            "trustedExecutionConfiguration": {"isolationMode": "SHARED"}
        })
    };
    let pretty = |env: usize| serde_json::to_string_pretty(&document(env)).unwrap_or_default();
    // The largest document that fits: each variable more adds about 80 bytes
    // per container, so the loop ends; an empty string (which cannot happen)
    // would end it too.
    let mut text = pretty(0);
    for env in 1.. {
        let next = pretty(env);
        if next.len() > target_bytes || next.is_empty() {
            break;
        }
        text = next;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_the_largest_that_fits_and_analyses_without_findings() {
        let text = synthetic_task_definition(64 * 1024);
        assert!(
            (60 * 1024..=64 * 1024).contains(&text.len()),
            "{} bytes",
            text.len()
        );
        assert_eq!(crate::analyze_task_definition(&text).diagnostics, []);
        let small = synthetic_task_definition(0);
        assert!(small.len() < text.len() && small.contains("app-9"));
    }
}
