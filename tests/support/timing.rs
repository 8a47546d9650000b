//! The clock and the report line the in-browser benchmarks share.

/// The page's high-resolution clock, in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Prints one figure to the console, where the test runner shows it.
pub fn report(bench: &str, line: String) {
    web_sys::console::log_1(&format!("{bench}: {line}").into());
}
