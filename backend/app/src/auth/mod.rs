//! Authentication: password hashing, login tokens, and the extractors that check them.

pub mod csrf;
pub mod extract;
pub mod password;
pub mod token;

pub use extract::{ApiUser, AuthUser, FeedCaller, MaybeApiUser, PageUser};
