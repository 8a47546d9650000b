//! Scenarios: placeholder, filled in below.
