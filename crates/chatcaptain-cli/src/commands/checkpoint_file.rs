//! The checkpoint file of `contacts list --checkpoint FILE`: read strictly, locked for the
//! run, replaced atomically, never behind another writer's back.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chatcaptain::Checkpoint;

use crate::exit::Usage;
use crate::lock;

/// A checkpoint file in use by this run.
pub struct CheckpointFile {
    path: PathBuf,
    /// What the file held when this run last read or wrote it (`None`: no file).
    last: Option<String>,
    /// The checkpoint it held then, as read (`None` when it held none).
    saved: Option<Checkpoint>,
    _lock: lock::Held,
}

impl CheckpointFile {
    /// Locks `path` for this run (a second run on it fails at once), and reads the checkpoint
    /// in it: the start when there is no such file, or when `from_start`; anything that is not
    /// a checkpoint is refused, and the file left as it is.
    pub fn open(path: &Path, from_start: bool) -> anyhow::Result<(CheckpointFile, Checkpoint)> {
        let held = lock::exclusive(
            &lock::beside(path),
            &format!("the checkpoint {}", path.display()),
        )?;
        let last = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Usage(format!("cannot read {}: {e}", path.display())).into()),
        };
        let checkpoint = match &last {
            Some(_) if from_start => Checkpoint::start(),
            None => Checkpoint::start(),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                Usage(format!(
                    "{} is not a checkpoint ({e}); it is left as it is: give another file, or \
                     --from-start to list every contact again and replace it",
                    path.display()
                ))
            })?,
        };
        let file = CheckpointFile {
            path: path.to_owned(),
            saved: (last.is_some() && !from_start).then(|| checkpoint.clone()),
            last,
            _lock: held,
        };
        Ok((file, checkpoint))
    }

    /// Replaces the file with `checkpoint`: written beside it, then renamed over it, so a crash
    /// leaves the old checkpoint or the new one, never half of one. A file another program
    /// changed since this run read it is not overwritten: that would move it backwards.
    ///
    /// `durable` waits for the disk (the last save of a run). The saves while a run goes on
    /// need not: a killed process loses nothing the kernel has, and waiting for the disk on
    /// every page (~8 ms here) would slow an export down more than its requests do.
    pub fn save(&mut self, checkpoint: &Checkpoint, durable: bool) -> anyhow::Result<()> {
        // Nothing moved (a run that failed at once): the file stays exactly as it was.
        if self.saved.as_ref() == Some(checkpoint) {
            return Ok(());
        }
        let text = serde_json::to_string(checkpoint)?;
        let now = match std::fs::read_to_string(&self.path) {
            Ok(now) => Some(now),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", self.path.display()));
            }
        };
        if now != self.last {
            anyhow::bail!(
                "{} was changed by another program during this run; it is not overwritten \
                 (this run's checkpoint would replace a newer one)",
                self.path.display()
            );
        }
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
            format!("cannot write a checkpoint next to {}", self.path.display())
        })?;
        std::io::Write::write_all(&mut temp, text.as_bytes())?;
        if durable {
            temp.as_file().sync_all()?;
        }
        temp.persist(&self.path)
            .with_context(|| format!("cannot replace {}", self.path.display()))?;
        self.last = Some(text);
        self.saved = Some(checkpoint.clone());
        Ok(())
    }
}
