//! Ergonomic client for the ChatCaptain contacts API.
