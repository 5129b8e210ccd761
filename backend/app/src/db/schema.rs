//! The tables, in portable column types only (written by hand: one schema, two backends).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        org_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        parent_code -> Nullable<Text>,
        country -> Text,
        level -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
        lat_e6 -> Nullable<BigInt>,
        lon_e6 -> Nullable<BigInt>,
        source -> Text,
    }
}

diesel::table! {
    occupations (code) {
        code -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
    }
}

diesel::table! {
    skills (code) {
        code -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
    }
}

diesel::table! {
    crossings (code) {
        code -> Text,
        cn_region_code -> Text,
        vn_region_code -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
        lat_e6 -> BigInt,
        lon_e6 -> BigInt,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        name -> Text,
        registration_no -> Text,
        region_code -> Text,
        status -> Text,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    wage_floor_rules (id) {
        id -> Text,
        region_code -> Text,
        occupation_code -> Nullable<Text>,
        kind -> Text,
        hourly_fen -> BigInt,
        monthly_fen -> Nullable<BigInt>,
        effective_from -> Date,
        effective_to -> Nullable<Date>,
        source -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    wage_floor_guard (id) {
        id -> Integer,
        writes -> BigInt,
    }
}

diesel::table! {
    vacancies (id) {
        id -> Text,
        employer_id -> Text,
        title -> Text,
        occupation_code -> Text,
        region_code -> Text,
        crossing_code -> Text,
        headcount -> Integer,
        season_start -> Date,
        season_end -> Date,
        hours_per_week -> Integer,
        guaranteed_hours_per_week -> Integer,
        pay_basis -> Text,
        wage_fen -> BigInt,
        piece_unit -> Nullable<Text>,
        guaranteed_hourly_fen -> Nullable<BigInt>,
        housing_provided -> Bool,
        description_zh -> Nullable<Text>,
        description_vi -> Nullable<Text>,
        status -> Text,
        hourly_equivalent_fen -> BigInt,
        floor_hourly_fen -> BigInt,
        floor_rule_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    vacancy_deductions (vacancy_id, position) {
        vacancy_id -> Text,
        position -> Integer,
        kind -> Text,
        fen_per_month -> BigInt,
    }
}

diesel::table! {
    vacancy_skills (vacancy_id, skill_code) {
        vacancy_id -> Text,
        skill_code -> Text,
    }
}

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

diesel::joinable!(vacancies -> employers (employer_id));
diesel::joinable!(vacancy_deductions -> vacancies (vacancy_id));
diesel::joinable!(vacancy_skills -> vacancies (vacancy_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(licence_events -> agencies (agency_id));
diesel::joinable!(workers -> agencies (agency_id));
diesel::joinable!(worker_skills -> workers (worker_id));
diesel::joinable!(worker_languages -> workers (worker_id));
diesel::joinable!(worker_returns -> workers (worker_id));
diesel::joinable!(worker_returns -> employers (employer_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    regions,
    occupations,
    skills,
    crossings,
    employers,
    wage_floor_rules,
    wage_floor_guard,
    vacancies,
    vacancy_deductions,
    vacancy_skills,
    agencies,
    licence_events,
    workers,
    worker_skills,
    worker_languages,
    worker_returns,
);
