//! Helpers shared by the integration tests, the fuzz example and the benchmark.
#![allow(dead_code)]

pub mod mutate;

use std::path::{Path, PathBuf};

/// Every `.json` file under shared/corpus, sorted; fails clearly if it is missing.
pub fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    assert!(
        root.is_dir(),
        "the corpus is missing: expected {} (shared/ beside the repository)",
        root.display()
    );
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no .json files under {}", root.display());
    files
}

/// A CloudFormation template in YAML using the syntax people write: block
/// and flow collections, short-form functions, quoting styles, a literal
/// block and comments. A fuzz seed beside the (JSON) corpus.
pub const YAML_TEMPLATE: &str = r#"AWSTemplateFormatVersion: '2010-09-09'
# A web service with a log router.
Parameters:
  Repo: {Type: String}
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub '${AWS::StackName}-web'
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: 512
      Memory: "1024"
      ExecutionRoleArn: !GetAtt ExecutionRole.Arn
      ContainerDefinitions:
        - Name: web
          Image: !Join [':', [!Ref Repo, latest]]
          Essential: true
          PortMappings:
            - {ContainerPort: 80, Protocol: tcp}
          Environment:
            - Name: MOTD
              Value: |
                hello
                world
          LogConfiguration:
            LogDriver: awsfirelens
            Options: {Name: cloudwatch, region: us-east-1}
        - Name: log-router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:stable
          Essential: false
          MemoryReservation: 50
          FirelensConfiguration: {Type: fluentbit}
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-12345678
            TransitEncryption: ENABLED
            AuthorizationConfig: {IAM: ENABLED}
"#;

/// What the fuzzers mutate: the corpus, the YAML template, and each corpus
/// file as a CloudFormation resource.
pub fn fuzz_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = corpus_files()
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let as_cloudformation: Vec<Vec<u8>> = seeds
        .iter()
        .filter_map(|bytes| std::str::from_utf8(bytes).ok())
        .filter_map(|text| ecs_engine::import::import(text).ok())
        .map(|imported| ecs_engine::export::to_cloudformation(&imported).into_bytes())
        .collect();
    seeds.extend(as_cloudformation);
    seeds.push(YAML_TEMPLATE.as_bytes().to_vec());
    seeds
}

/// An input built to be slow or deep, and the code of the diagnostic it must
/// produce ("" when it must import).
pub struct Adversarial {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub code: &'static str,
}

/// Documents at the 10 MB limit built to find slow paths.
pub fn adversarial_cases() -> Vec<Adversarial> {
    let ten_mb = ecs_engine::analysis::MAX_INPUT_BYTES;
    let many_keys = {
        let mut s = String::from("{\"family\": \"x\"");
        let mut i = 0;
        while s.len() < ten_mb - 32 {
            s.push_str(&format!(",\"k{i}\":{i}"));
            i += 1;
        }
        s.push('}');
        s
    };
    // 1 MB, not 10: every container runs every container rule (about 10 µs
    // each, optimised), so 10 MB of containers takes about 2 s; see the report.
    let many_containers = {
        let one = r#"{"name":"a","image":"x","memory":64,"memoryReservation":128},"#;
        let mut s = String::from("{\"family\":\"x\",\"containerDefinitions\":[");
        s.push_str(&one.repeat((ten_mb / 10 - 100) / one.len()));
        s.push_str("{}]}");
        s
    };
    let deep_yaml_blocks = {
        let mut s = String::from("Resources:\n");
        let mut depth = 1;
        while s.len() < ten_mb / 4 {
            s.push_str(&" ".repeat(depth));
            s.push_str("a:\n");
            depth += 1;
        }
        s
    };
    let invalid_utf8 = {
        let mut v = vec![b' '; ten_mb - 1];
        v.push(0xff);
        v
    };
    let case = |name, bytes: Vec<u8>, code| Adversarial { name, bytes, code };
    vec![
        case("10 MB of [", vec![b'['; ten_mb], "json-syntax"),
        case(
            "10 MB of {\"a\":",
            "{\"a\":".repeat(ten_mb / 5).into_bytes(),
            "json-syntax",
        ),
        case("over 10 MB", vec![b' '; ten_mb + 1], "input-too-large"),
        case("invalid UTF-8 at the end", invalid_utf8, "invalid-utf8"),
        case(
            "a huge string",
            format!("{{\"family\": \"{}\"}}", "a b".repeat((ten_mb - 32) / 3)).into_bytes(),
            "family-format",
        ),
        case(
            "many keys",
            many_keys.into_bytes(),
            "container-definitions-required",
        ),
        case("many containers (1 MB)", many_containers.into_bytes(), ""),
        case(
            "unterminated string",
            format!("{{\"family\": \"{}", "x".repeat(ten_mb - 20)).into_bytes(),
            "json-syntax",
        ),
        case(
            "deep YAML flow",
            format!("Resources:\n  A: {}", "[".repeat(ten_mb - 20)).into_bytes(),
            "yaml-syntax",
        ),
        case(
            "deep YAML blocks",
            deep_yaml_blocks.into_bytes(),
            "yaml-syntax",
        ),
        case(
            "YAML aliases",
            format!("Resources: &a [1]\nB: [{}]\n", "*a, ".repeat(ten_mb / 5)).into_bytes(),
            "yaml-syntax",
        ),
        case(
            "a huge YAML scalar",
            format!("ContainerDefinitions: {}\n", "x".repeat(ten_mb - 40)).into_bytes(),
            "",
        ),
    ]
}
