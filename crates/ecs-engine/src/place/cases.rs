//! Data-driven placement cases (filled in below).
