//! The monthly statistics releases, archived as they were made.

diesel::table! {
    statistics_releases (month) {
        month -> Text,
        definitions_version -> Text,
        csv -> Text,
        sha256 -> Text,
        rows -> BigInt,
        metadata -> Text,
        generated_at -> Timestamp,
    }
}
