//! Runs a test again in a child process (this test binary again, that test alone), started
//! with an environment of its own: changing a running process's environment is unsafe since
//! edition 2024, and the workspace forbids unsafe code.

use std::process::{Command, Output};

/// A command that runs `test` of this test binary alone, with `case` in the variable
/// `case_variable` (the child's side reads it to know what to check).
pub fn rerun(test: &str, case_variable: &str, case: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--test-threads=1"])
        .env(case_variable, case);
    cmd
}

/// Asserts that the child ran its test and that it passed; `what` names the case in the
/// message.
pub fn assert_passed(output: &Output, what: &str) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{what}:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The child ran the test rather than filtering it out.
    assert!(stdout.contains("1 passed"), "{what}: {stdout}");
}
