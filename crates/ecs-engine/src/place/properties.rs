//! Property tests of placement (filled in below).
