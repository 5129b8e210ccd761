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

diesel::table! {
    /// Payslips tallied by the day (and the month) they were paid and the keys the statistics
    /// break them down by (`db::statistics::tally_payslip`).
    payslip_tallies (span, paid_on, region_code, occupation_code, home_province_code, agency_id) {
        /// `day`, or `month`: then `paid_on` is the month's first day.
        span -> Text,
        paid_on -> Date,
        region_code -> Text,
        occupation_code -> Text,
        home_province_code -> Text,
        agency_id -> Text,
        payslips -> BigInt,
        gross_fen -> BigInt,
        net_fen -> BigInt,
        compliant -> BigInt,
        workers -> Integer,
        w1 -> Nullable<Text>,
        w2 -> Nullable<Text>,
        w3 -> Nullable<Text>,
        w4 -> Nullable<Text>,
    }
}

diesel::table! {
    /// Each placement's milestones as the statistics count them, with the keys they break
    /// down by (`db::statistics::record_fact`).
    placement_facts (fact, day, placement_id) {
        fact -> Text,
        day -> Date,
        placement_id -> Text,
        region_code -> Text,
        occupation_code -> Text,
        home_province_code -> Text,
        agency_id -> Text,
        worker_id -> Text,
        hourly_fen -> Nullable<BigInt>,
        floor_hourly_fen -> Nullable<BigInt>,
    }
}
