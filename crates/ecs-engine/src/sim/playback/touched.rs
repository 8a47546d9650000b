//! The simulator's hook for the recorder: the lifecycle, the scheduler and
//! the instance calls note each task and instance they change, so a
//! recording looks at those alone instead of the whole account. Nothing is
//! noted unless a recording switched it on; the simulation's behaviour does
//! not depend on it.

use super::super::Ecs;

/// Tasks (by sequence number) and instances (by index) changed since the
/// last look, possibly repeated.
#[derive(Debug, Clone, Default)]
pub(crate) struct Touched {
    pub tasks: Vec<u64>,
    pub instances: Vec<usize>,
}

impl Ecs {
    /// A task's lastStatus, desiredStatus or health changed, or it was created.
    pub(crate) fn touch_task(&mut self, seq: u64) {
        if let Some(touched) = &mut self.touched {
            touched.tasks.push(seq);
        }
    }

    /// An instance's status or agent connection changed, or it was removed.
    pub(crate) fn touch_instance(&mut self, index: usize) {
        if let Some(touched) = &mut self.touched {
            touched.instances.push(index);
        }
    }
}
