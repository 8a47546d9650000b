//! CPU and memory as ECS writes them, and the Fargate size table.
//!
//! Task-level `cpu` and `memory` are strings: `"1024"`, `"1 vCPU"`, `"2GB"`.
//! RegisterTaskDefinition normalises them to CPU units and MiB (seed 000:12357,
//! 000:12389); these functions do the same.

use crate::json::number::parse_f64;

/// CPU units from `"256"`, `"0.25 vCPU"` or `"1 vcpu"`. `None` if unreadable.
pub fn parse_cpu_units(text: &str) -> Option<u32> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(number) = lower.strip_suffix("vcpu") {
        let vcpus = decimal(number)?;
        return to_whole(vcpus * 1024.0);
    }
    t.parse().ok()
}

/// MiB from `"512"`, `"1GB"` or `"1 GB"` (1 GB = 1024 MiB, as ECS counts it).
pub fn parse_memory_mib(text: &str) -> Option<u32> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(number) = lower.strip_suffix("gb") {
        let gb = decimal(number)?;
        return to_whole(gb * 1024.0);
    }
    if let Some(number) = lower
        .strip_suffix("mib")
        .or_else(|| lower.strip_suffix("mb"))
    {
        return number.trim().parse().ok();
    }
    t.parse().ok()
}

/// A decimal as people write sizes: JSON's number syntax, plus a bare
/// leading point (`.25`).
fn decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    match text.strip_prefix('.') {
        Some(fraction) => parse_f64(&format!("0.{fraction}")),
        None => parse_f64(text),
    }
}

fn to_whole(x: f64) -> Option<u32> {
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)).then_some(x as u32)
}

/// One row of the Fargate table: a CPU size and the memory sizes it allows.
#[derive(Debug, Clone, Copy)]
pub struct FargateSize {
    pub cpu: u32,
    pub memory_min: u32,
    pub memory_max: u32,
    pub memory_step: u32,
    /// Sizes above 4 vCPU need Linux platform version 1.4.0 or later.
    pub needs_platform_1_4: bool,
    pub windows: bool,
}

/// shared/spec/seed-checklist.md §2.7a and ecs-semantics.md A5. The 256 row's
/// memory is 512, 1024 or 2048; it is the only row whose steps are uneven.
pub const FARGATE_SIZES: &[FargateSize] = &[
    FargateSize {
        cpu: 256,
        memory_min: 512,
        memory_max: 2048,
        memory_step: 512,
        needs_platform_1_4: false,
        windows: false,
    },
    FargateSize {
        cpu: 512,
        memory_min: 1024,
        memory_max: 4096,
        memory_step: 1024,
        needs_platform_1_4: false,
        windows: false,
    },
    FargateSize {
        cpu: 1024,
        memory_min: 2048,
        memory_max: 8192,
        memory_step: 1024,
        needs_platform_1_4: false,
        windows: true,
    },
    FargateSize {
        cpu: 2048,
        memory_min: 4096,
        memory_max: 16384,
        memory_step: 1024,
        needs_platform_1_4: false,
        windows: true,
    },
    FargateSize {
        cpu: 4096,
        memory_min: 8192,
        memory_max: 30720,
        memory_step: 1024,
        needs_platform_1_4: false,
        windows: true,
    },
    FargateSize {
        cpu: 8192,
        memory_min: 16384,
        memory_max: 61440,
        memory_step: 4096,
        needs_platform_1_4: true,
        windows: false,
    },
    FargateSize {
        cpu: 16384,
        memory_min: 32768,
        memory_max: 122880,
        memory_step: 8192,
        needs_platform_1_4: true,
        windows: false,
    },
];

impl FargateSize {
    pub fn allows_memory(&self, memory: u32) -> bool {
        if self.cpu == 256 {
            return matches!(memory, 512 | 1024 | 2048);
        }
        (self.memory_min..=self.memory_max).contains(&memory)
            && (memory - self.memory_min).is_multiple_of(self.memory_step)
    }

    pub fn memory_choices(&self) -> Vec<u32> {
        if self.cpu == 256 {
            return vec![512, 1024, 2048];
        }
        (self.memory_min..=self.memory_max)
            .step_by(self.memory_step as usize)
            .collect()
    }
}

pub fn fargate_size(cpu: u32) -> Option<&'static FargateSize> {
    FARGATE_SIZES.iter().find(|s| s.cpu == cpu)
}

/// The valid Fargate (cpu, memory) pair nearest to the one given: the smallest
/// pair that gives at least the requested CPU and memory, or the largest pair
/// if nothing is that big.
pub fn nearest_fargate_size(cpu: u32, memory: u32) -> (u32, u32) {
    for size in FARGATE_SIZES {
        if size.cpu < cpu {
            continue;
        }
        if let Some(m) = size.memory_choices().into_iter().find(|&m| m >= memory) {
            return (size.cpu, m);
        }
    }
    (16384, 122880)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_strings_normalise() {
        assert_eq!(parse_cpu_units("1024"), Some(1024));
        assert_eq!(parse_cpu_units("1 vCPU"), Some(1024));
        assert_eq!(parse_cpu_units(".25 vcpu"), Some(256));
        assert_eq!(parse_cpu_units("lots"), None);
        assert_eq!(parse_memory_mib("2GB"), Some(2048));
        assert_eq!(parse_memory_mib("0.5 GB"), Some(512));
        assert_eq!(parse_memory_mib("512"), Some(512));
        assert_eq!(parse_memory_mib("-1"), None);
    }

    #[test]
    fn the_fargate_table_matches_the_documented_rows() {
        assert!(fargate_size(256).unwrap().allows_memory(512));
        assert!(!fargate_size(256).unwrap().allows_memory(1536));
        assert!(fargate_size(512).unwrap().allows_memory(3072));
        assert!(fargate_size(4096).unwrap().allows_memory(30720));
        assert!(!fargate_size(4096).unwrap().allows_memory(31744));
        assert!(fargate_size(8192).unwrap().allows_memory(20480));
        assert!(!fargate_size(8192).unwrap().allows_memory(17408));
        assert_eq!(fargate_size(1024).unwrap().memory_choices().len(), 7);
        assert!(fargate_size(300).is_none());
    }

    #[test]
    fn the_nearest_valid_size_covers_the_request() {
        assert_eq!(nearest_fargate_size(256, 4096), (512, 4096));
        assert_eq!(nearest_fargate_size(300, 512), (512, 1024));
        assert_eq!(nearest_fargate_size(1024, 1024), (1024, 2048));
        assert_eq!(nearest_fargate_size(99999, 1), (16384, 122880));
    }
}
