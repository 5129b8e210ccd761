//! Agencies, their licences, and the workers they register.

diesel::table! {
    agencies (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        licence_number -> Text,
        licence_valid_from -> Date,
        licence_valid_until -> Date,
        licence_state -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        registry_stamp -> BigInt,
    }
}

diesel::table! {
    licence_events (id) {
        id -> Text,
        agency_id -> Text,
        event -> Text,
        reason -> Nullable<Text>,
        by_user_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    workers (id) {
        id -> Text,
        agency_id -> Text,
        full_name -> Text,
        date_of_birth -> Date,
        gender -> Text,
        id_document_number -> Text,
        home_province_code -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        available_from -> Date,
        available_until -> Date,
        seasons_worked -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        skill_codes -> Text,
        language_codes -> Text,
        returned_on_time_count -> Integer,
        seasons_verified -> Integer,
    }
}

diesel::table! {
    worker_skills (worker_id, skill_code) {
        worker_id -> Text,
        skill_code -> Text,
    }
}

diesel::table! {
    worker_languages (worker_id, language) {
        worker_id -> Text,
        language -> Text,
    }
}

diesel::table! {
    worker_returns (id) {
        id -> Text,
        worker_id -> Text,
        placement_id -> Nullable<Text>,
        employer_id -> Nullable<Text>,
        season_start -> Date,
        season_end -> Date,
        returned_on -> Nullable<Date>,
        returned_on_time -> Bool,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    work_history_shares (worker_id) {
        worker_id -> Text,
        number -> Text,
        code -> Text,
        shared_at -> Timestamp,
    }
}
