// What a Rust program gets after an entry's code: rust.py writes the reference, the assertions'
// items and the assertions as fn synthetic_checks, then HARNESS. CHECKS stands in for the
// assertions here, so that the file compiles alone.
// A strength check's mutant schema adds SCHEMA_SWITCH, which reads which variant runs.
// SYNTHETIC_PART_CHECKS
fn synthetic_checks() {}
// SYNTHETIC_PART_HARNESS

// Added by pytest-synthetic: the harness around the assertions.
static SYNTHETIC_EXPECTING_PANIC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
const SYNTHETIC_ASSERTION_LINES: &[(u32, u32)] = &[/*SYNTHETIC_FILL_RANGES*/];

// A panic raised on a line of the assertions is reported as an assertion failure.
fn synthetic_install_panic_hook() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !SYNTHETIC_EXPECTING_PANIC.load(std::sync::atomic::Ordering::SeqCst) {
            if let Some(location) = info.location() {
                let line = location.line();
                if location.file().ends_with("SYNTHETIC_FILL_FILE")
                    && SYNTHETIC_ASSERTION_LINES.iter().any(|&(first, last)| first <= line && line <= last)
                {
                    std::eprintln!("assertion failed at SYNTHETIC_FILL_FILE:{}", line);
                }
            }
        }
        default_hook(info);
    }));
}

trait SyntheticOutcome {
    fn synthetic_check(self);
}

impl SyntheticOutcome for () {
    fn synthetic_check(self) {}
}

impl<E: std::fmt::Debug> SyntheticOutcome for Result<(), E> {
    fn synthetic_check(self) {
        if let Err(error) = self {
            std::panic!("assertion failed: the test returned Err({:?})", error);
        }
    }
}

fn synthetic_should_panic(name: &str, expected: Option<&str>, test: fn()) {
    SYNTHETIC_EXPECTING_PANIC.store(true, std::sync::atomic::Ordering::SeqCst);
    let outcome = std::panic::catch_unwind(test);
    SYNTHETIC_EXPECTING_PANIC.store(false, std::sync::atomic::Ordering::SeqCst);
    match outcome {
        Ok(()) => std::panic!("assertion failed: test {} did not panic (#[should_panic])", name),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if let Some(expected) = expected {
                if !message.contains(expected) {
                    std::panic!("assertion failed: test {} panicked with {:?}, expected {:?}", name, message, expected);
                }
            }
        }
    }
}

static SYNTHETIC_DONE: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn synthetic_complete() {
    let done = SYNTHETIC_DONE.lock().map(|done| done.clone()).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    let line = ["\n", done.as_str(), "\n"].concat();
    let _ = std::io::Write::flush(&mut out);
    let _ = std::io::Write::write_all(&mut out, line.as_bytes());
    let _ = std::io::Write::flush(&mut out);
}

// The assertions' final std::process::exit(status): with status 0, every assertion ran; any other
// status is how they report a failure.
fn synthetic_exit(status: i32) -> ! {
    if status == 0 {
        synthetic_complete();
    } else {
        std::eprintln!("assertion failed: the assertions exited with status {}", status);
    }
    std::process::exit(status)
}

fn main() {
    // Read before anything else runs.
    let done = std::fs::read_to_string("SYNTHETIC_FILL_COMPLETION_PATH").unwrap_or_default();
    if let Ok(mut slot) = SYNTHETIC_DONE.lock() {
        *slot = done;
    }
    synthetic_install_panic_hook();
    synthetic_checks();
    synthetic_complete();
}
// SYNTHETIC_PART_SCHEMA_SWITCH
fn synthetic_mutant() -> u32 {
    static ACTIVE: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ACTIVE.get_or_init(|| std::env::var("SYNTHETIC_FILL_VARIABLE").ok().and_then(|v| v.parse().ok()).unwrap_or(0))
}
