//! The simulator's hook for the recorder: the lifecycle, the scheduler and
//! the instance calls note each task and instance they change, so a
//! recording looks at those alone instead of the whole account. Nothing is
//! noted for the recorder unless a recording switched it on. A touched task
//! also refreshes the scheduler's kept list of its service's wanted tasks
//! (`State::note_task`): that part always runs, and the scheduler reads it.

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
    /// The scheduler's kept list of the service's wanted tasks follows too
    /// (`State::note_task`), whether or not a recording is on.
    pub(crate) fn touch_task(&mut self, seq: u64) {
        self.state.note_task(seq);
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
